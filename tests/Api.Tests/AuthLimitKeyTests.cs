using System.Net;
using System.Text;
using NeXChange.TestSupport;

namespace NeXChange.Api.Tests;

/// <summary>SPEC.md 3.12's login and password-reset limits; every other class stays open for set-up.</summary>
public sealed class AuthLimitsFixture : ApiFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:Login:Limit"] = "5",
        ["RateLimits:PasswordReset:Limit"] = "3",
    };
}

/// <summary>
/// The login and reset windows are keyed on the email as the endpoint binds and normalises it: no casing of the
/// member name or of the address, no surrounding whitespace and no duplicated member gets a fresh window.
/// </summary>
public sealed class AuthLimitKeyTests(AuthLimitsFixture api) : IClassFixture<AuthLimitsFixture>
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<HttpResponseMessage> Post(string path, string json)
    {
        using var client = api.NewClient();
        return await client.PostAsync(path, Json(json));
    }

    [Fact]
    public async Task the_sixth_login_attempt_is_refused_whatever_casing_or_duplication_the_body_uses()
    {
        var user = await api.RegisterVerified();
        var upper = user.Email.ToUpperInvariant();
        string[] attempts =
        [
            $$"""{"email":"{{user.Email}}","password":"{{TestPasswords.New()}}"}""",
            $$"""{"Email":"{{upper}}","password":"{{TestPasswords.New()}}"}""",
            $$"""{"EMAIL":"  {{user.Email}}\t","password":"{{TestPasswords.New()}}"}""",
            $$"""{"password":"{{TestPasswords.New()}}","eMaIl":"\n{{upper}} "}""",
            $$"""{"email":" {{user.Email}}","Password":"{{TestPasswords.New()}}"}""",
        ];
        foreach (var attempt in attempts)
            Assert.Equal(HttpStatusCode.Unauthorized, (await Post("/api/v1/auth/login", attempt)).StatusCode);

        // Even the right password, in any form, is refused now.
        foreach (var sixth in new[]
        {
            $$"""{"email":"{{user.Email}}","password":"{{TestUsers.Password}}"}""",
            $$"""{"Email":" {{upper}} ","password":"{{TestUsers.Password}}"}""",
            $$"""{"EMAIL":"{{user.Email}}","PASSWORD":"{{TestUsers.Password}}"}""",
        })
        {
            var refused = await Post("/api/v1/auth/login", sixth);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal("rate_limited", (await refused.Json()).GetProperty("code").GetString());
        }

        // A body naming the email twice (any casing, same or other value) is never checked against a password.
        foreach (var duplicated in new[]
        {
            $$"""{"email":"decoy-{{Guid.NewGuid():N}}@example.org","Email":"{{user.Email}}","password":"{{TestUsers.Password}}"}""",
            $$"""{"email":"{{user.Email}}","email":"{{user.Email}}","password":"{{TestUsers.Password}}"}""",
            $$"""{"EMAIL":"other-{{Guid.NewGuid():N}}@example.org","email":"{{upper}}","password":"{{TestUsers.Password}}"}""",
        })
        {
            var refused = await Post("/api/v1/auth/login", duplicated);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("validation_failed", (await refused.Json()).GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task the_fourth_reset_request_for_an_address_within_an_hour_is_refused_whatever_its_casing()
    {
        var email = $"reset-{Guid.NewGuid():N}@example.org";
        foreach (var body in new[]
        {
            $$"""{"email":"{{email}}"}""",
            $$"""{"Email":"{{email.ToUpperInvariant()}}"}""",
            $$"""{"EMAIL":"  {{email}} "}""",
        })
            Assert.Equal(HttpStatusCode.Accepted, (await Post("/api/v1/auth/password-reset", body)).StatusCode);

        var fourth = await Post("/api/v1/auth/password-reset", $$"""{"eMail":"{{email.ToUpperInvariant()}}"}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
        var otherAddress = await Post("/api/v1/auth/password-reset", $$"""{"email":"other-{{email}}"}""");
        Assert.Equal(HttpStatusCode.Accepted, otherAddress.StatusCode);
    }
}
