using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using NeXChange.Silo.Commands;
using NeXChange.TestSupport;

namespace NeXChange.Api.Tests;

/// <summary>
/// The create-admin command against a running system (README, Operations): it changes the database and Redis only,
/// and a signed-in user still gets the new role without a silo restart.
/// </summary>
public sealed class CreateAdminCommandTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    /// <summary>The command line as the silo executable runs it, in this process, on the fixture's database and Redis.</summary>
    private async Task<(int Code, string Output, string Error)> RunCommandAsync(params string[] args)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = api.Postgres,
            ["ConnectionStrings:Redis"] = TestEnvironment.Redis,
            ["App:PublicBaseUrl"] = "http://127.0.0.1",
            ["Data:Dir"] = api.DataDir,
            ["Storage:SigningKey"] = TestSecrets.New(),
        };
        var (output, error) = (new StringWriter(), new StringWriter());
        var cli = new OperatorCli(() => CommandHost.Build([], b => b.Configuration.AddInMemoryCollection(settings)),
            new CommandConsole(output, error, () => throw new InvalidOperationException("an existing account needs no password")));
        return (await cli.RunAsync(args), output.ToString(), error.ToString());
    }

    [Fact]
    public async Task a_signed_in_user_made_admin_loses_their_tokens_at_once_and_signs_in_again_as_admin_without_a_silo_restart()
    {
        var user = await api.RegisterVerified();
        using var before = api.ClientFor(user);
        // The user's grain is active and holds the row with role user.
        Assert.Equal("user", (await (await before.GetAsync("/api/v1/me")).Json()).GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await before.GetAsync("/api/v1/admin/ledger/reconciliation")).StatusCode);

        var (code, output, error) = await RunCommandAsync("create-admin", "--email", user.Email);

        Assert.True(code == ExitCodes.Ok, error);
        Assert.Contains("promoted from user to admin", output, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await before.GetAsync("/api/v1/me")).StatusCode);
        using var anonymous = api.NewClient();
        var refresh = await anonymous.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = user.RefreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
        Assert.Equal("refresh_token_invalid", (await refresh.Json()).GetProperty("code").GetString());

        var login = await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = TestUsers.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var body = await login.Json();
        Assert.Equal("admin", body.GetProperty("user").GetProperty("role").GetString());
        using var admin = api.ClientFor(user with { AccessToken = body.GetProperty("accessToken").GetString()! });
        Assert.Equal("admin", (await (await admin.GetAsync("/api/v1/me")).Json()).GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/admin/ledger/reconciliation")).StatusCode);
    }
}
