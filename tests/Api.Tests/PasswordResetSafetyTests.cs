using System.Net;
using System.Net.Http.Json;
using Npgsql;
using NeXChange.TestSupport;

namespace NeXChange.Api.Tests;

/// <summary>Password reset neither tells who has an account nor survives a password change (SPEC.md 3.1).</summary>
public sealed class PasswordResetSafetyTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task a_reset_request_is_answered_before_any_work_that_depends_on_the_account()
    {
        var user = await api.RegisterVerified();
        var mails = api.MailTo(user.Email).Count;
        using var client = api.NewClient();
        client.Timeout = TimeSpan.FromSeconds(30);

        // While nothing can read the users table, no answer that waited for the look-up, the token or the mail could come back.
        await using (var connection = new NpgsqlConnection(api.Postgres))
        {
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using (var freeze = new NpgsqlCommand("lock table users in access exclusive mode", connection, transaction))
                await freeze.ExecuteNonQueryAsync();
            var known = await client.PostAsJsonAsync("/api/v1/auth/password-reset", new { email = user.Email });
            var unknown = await client.PostAsJsonAsync("/api/v1/auth/password-reset", new { email = $"nobody-{Guid.NewGuid():N}@example.org" });
            Assert.Equal(HttpStatusCode.Accepted, known.StatusCode);
            Assert.Equal(HttpStatusCode.Accepted, unknown.StatusCode);
            Assert.Equal(await known.Content.ReadAsStringAsync(), await unknown.Content.ReadAsStringAsync());
            await transaction.RollbackAsync();
        }

        // The work happens afterwards: the account holder gets the link.
        Assert.NotEmpty(await api.NextToken(user.Email, mails));
    }

    [Fact]
    public async Task changing_the_password_voids_the_reset_links_still_out()
    {
        var user = await api.RegisterVerified();
        var mails = api.MailTo(user.Email).Count;
        using var anonymous = api.NewClient();
        Assert.Equal(HttpStatusCode.Accepted, (await anonymous.PostAsJsonAsync("/api/v1/auth/password-reset", new { email = user.Email })).StatusCode);
        var token = await api.NextToken(user.Email, mails);

        const string changed = "the owner's new passphrase 2026";
        using var self = api.ClientFor(user);
        Assert.Equal(HttpStatusCode.NoContent,
            (await self.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = TestUsers.Password, newPassword = changed })).StatusCode);

        var confirm = await anonymous.PostAsJsonAsync("/api/v1/auth/password-reset/confirm", new { token, newPassword = TestPasswords.New() });
        Assert.Equal(HttpStatusCode.BadRequest, confirm.StatusCode);
        Assert.Equal("token_invalid", (await confirm.Json()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = changed })).StatusCode);
    }
}
