using System.Net;
using System.Net.Http.Json;
using System.Text;
using NeXChange.TestSupport;

namespace NeXChange.Api.Tests;

/// <summary>Logs name users by id, never by email address (SPEC.md 10), and never hold a password, whatever the account flows log.</summary>
public sealed class LogPrivacyTests(LogCaptureFixture api) : IClassFixture<LogCaptureFixture>
{
    [Fact]
    public async Task registration_login_and_reset_flows_log_no_email_address_and_no_password()
    {
        var tag = Guid.NewGuid().ToString("N")[..12];
        string wrong = TestPasswords.New(), fresh = TestPasswords.New(), another = TestPasswords.New();
        string[] emails = [$"Log.Owner-{tag}@Example.org", $"log-unknown-{tag}@example.org", $"log-stranger-{tag}@example.org", $"log-pending-{tag}@example.org"];
        using var client = api.NewClient();

        var owner = await api.RegisterVerified(emails[0]);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync("/api/v1/auth/register", TestUsers.RegistrationBody(emails[0].ToUpperInvariant()))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/auth/login", new { email = emails[0], password = TestUsers.Password })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/v1/auth/login", new { email = emails[0], password = wrong })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsJsonAsync("/api/v1/auth/login", new { email = emails[1], password = TestUsers.Password })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/api/v1/auth/login",
            new StringContent($$"""{"email":"{{emails[2]}}","Email":"{{emails[1]}}","password":5}""", Encoding.UTF8, "application/json"))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/v1/auth/register",
            new { email = emails[2], password = emails[2], dateOfBirth = "2020-01-01", zipCode = "00000", city = "X" })).StatusCode);

        var pending = await api.Register(emails[3]);
        using (var pendingClient = api.ClientFor(pending))
            Assert.Equal(HttpStatusCode.Accepted, (await pendingClient.PostAsync("/api/v1/auth/verify-email/resend", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/v1/auth/password-reset", new { email = emails[1] })).StatusCode);
        var mails = api.MailTo(emails[0]).Count;
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsJsonAsync("/api/v1/auth/password-reset", new { email = emails[0] })).StatusCode);
        var token = await api.NextToken(emails[0], mails);
        Assert.Equal(HttpStatusCode.NoContent,
            (await client.PostAsJsonAsync("/api/v1/auth/password-reset/confirm", new { token, newPassword = fresh })).StatusCode);
        using var self = api.ClientFor(owner with
        {
            AccessToken = (await (await client.PostAsJsonAsync("/api/v1/auth/login", new { email = emails[0], password = fresh })).Json())
                .GetProperty("accessToken").GetString()!,
        });
        Assert.Equal(HttpStatusCode.NoContent,
            (await self.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = fresh, newPassword = another })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await self.GetAsync("/api/v1/me")).StatusCode);

        var lines = api.Logs.Lines.ToList();
        Assert.NotEmpty(lines);
        foreach (var secret in emails.Concat([TestUsers.Password, wrong, fresh, another]))
            Assert.DoesNotContain(lines, line => line.Contains(secret, StringComparison.OrdinalIgnoreCase));
    }
}
