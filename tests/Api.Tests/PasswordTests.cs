using System.Net;
using System.Net.Http.Json;
using NeXChange.TestSupport;

namespace NeXChange.Api.Tests;

/// <summary>Password reset by email and password change (SPEC.md 3.1): both end the sessions they must.</summary>
public sealed class PasswordTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly string NewPassword = TestPasswords.New();

    private async Task<HttpResponseMessage> Login(string email, string password)
    {
        using var client = api.NewClient();
        return await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password });
    }

    [Fact]
    public async Task a_reset_by_email_sets_the_new_password_once_and_ends_every_session()
    {
        var user = await api.RegisterVerified();
        using var client = api.NewClient();
        var mails = api.MailTo(user.Email).Count;
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/v1/auth/password-reset", new { email = user.Email.ToUpperInvariant() })).StatusCode);
        var token = await api.NextToken(user.Email, mails);

        var weak = await client.PostAsJsonAsync("/api/v1/auth/password-reset/confirm", new { token, newPassword = TestPasswords.TooShort() });
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.Equal("newPassword", (await weak.Json()).GetProperty("errors")[0].GetProperty("field").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync("/api/v1/auth/password-reset/confirm", new { token, newPassword = NewPassword })).StatusCode);
        var again = await client.PostAsJsonAsync("/api/v1/auth/password-reset/confirm", new { token, newPassword = NewPassword + "!" });
        Assert.Equal("token_invalid", (await again.Json()).GetProperty("code").GetString());

        using var old = api.ClientFor(user);
        Assert.Equal(HttpStatusCode.Unauthorized, (await old.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Login(user.Email, TestUsers.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Login(user.Email, NewPassword)).StatusCode);
    }

    [Fact]
    public async Task a_reset_request_for_an_unknown_address_looks_the_same_and_mails_nothing()
    {
        using var client = api.NewClient();
        var email = $"nobody-{Guid.NewGuid():N}@example.org";
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/v1/auth/password-reset", new { email })).StatusCode);
        var outbox = Path.Combine(api.DataDir, "outbox");
        var mails = Directory.Exists(outbox) ? Directory.GetFiles(outbox, "*.eml") : [];
        Assert.DoesNotContain(mails, f => File.ReadAllText(f).Contains(email, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/v1/auth/password-reset", new { })).StatusCode);
        var forged = await client.PostAsJsonAsync("/api/v1/auth/password-reset/confirm", new { token = "forged", newPassword = NewPassword });
        Assert.Equal("token_invalid", (await forged.Json()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task a_change_needs_the_current_password_and_ends_the_other_sessions()
    {
        var user = await api.RegisterVerified();
        var second = await Login(user.Email, TestUsers.Password);
        var other = user with { AccessToken = (await second.Json()).GetProperty("accessToken").GetString()! };
        using var client = api.ClientFor(user);

        var wrong = await client.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = TestPasswords.New(), newPassword = NewPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("invalid_credentials", (await wrong.Json()).GetProperty("code").GetString());
        var common = await client.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = TestUsers.Password, newPassword = user.Email });
        Assert.Equal(HttpStatusCode.BadRequest, common.StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = TestUsers.Password, newPassword = NewPassword })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
        using var otherClient = api.ClientFor(other);
        Assert.Equal(HttpStatusCode.Unauthorized, (await otherClient.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Login(user.Email, NewPassword)).StatusCode);
    }
}
