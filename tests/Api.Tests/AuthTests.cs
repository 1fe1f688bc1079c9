using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using NeXChange.TestSupport;

namespace NeXChange.Api.Tests;

public sealed partial class AuthTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task registration_returns_the_private_profile_with_a_generated_display_name_and_tokens()
    {
        using var client = api.NewClient();
        var email = $"New.Person-{Guid.NewGuid():N}@Example.org";
        var response = await client.PostAsJsonAsync("/api/v1/auth/register", TestUsers.RegistrationBody(email));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Json();
        var user = body.GetProperty("user");
        Assert.Equal(email.ToLowerInvariant(), user.GetProperty("email").GetString());
        Assert.False(user.GetProperty("emailVerified").GetBoolean());
        Assert.Equal("user", user.GetProperty("role").GetString());
        Assert.Matches(DisplayName(), user.GetProperty("displayName").GetString());
        Assert.Equal("New York area", user.GetProperty("generalArea").GetString());
        Assert.Equal(900, body.GetProperty("expiresIn").GetInt32());
        Assert.Equal($"/api/v1/users/{user.GetProperty("id").GetGuid()}", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task an_email_registered_twice_in_any_case_is_refused()
    {
        var first = await api.Register();
        using var client = api.NewClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/register", TestUsers.RegistrationBody(first.Email.ToUpperInvariant()));
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("email_taken", (await response.Json()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task invalid_registration_lists_every_field_error()
    {
        using var client = api.NewClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/register",
            new { email = "not-an-email", password = TestPasswords.TooShort(), dateOfBirth = "2020-01-01", zipCode = "00000", city = "X" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Json();
        Assert.Equal("validation_failed", body.GetProperty("code").GetString());
        var fields = body.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "email", "password", "dateOfBirth", "zipCode", "city" }, fields);
    }

    [Fact]
    public async Task unknown_properties_and_malformed_json_are_validation_errors()
    {
        using var client = api.NewClient();
        var unknown = await client.PostAsync("/api/v1/auth/login",
            new StringContent($$"""{"email":"a@b.c","password":"{{TestPasswords.TooShort()}}","isAdmin":true}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("validation_failed", (await unknown.Json()).GetProperty("code").GetString());

        var malformed = await client.PostAsync("/api/v1/auth/login", new StringContent("{\"email\":", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task login_fails_alike_for_a_wrong_password_and_an_unknown_email()
    {
        var user = await api.Register();
        using var client = api.NewClient();
        var wrong = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = TestPasswords.New() });
        var unknown = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = "nobody-" + user.Email, password = TestUsers.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal("invalid_credentials", (await wrong.Json()).GetProperty("code").GetString());
        Assert.Equal("invalid_credentials", (await unknown.Json()).GetProperty("code").GetString());

        var right = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email.ToUpperInvariant(), password = TestUsers.Password });
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Fact]
    public async Task refresh_rotates_and_reusing_a_rotated_token_revokes_the_session()
    {
        var user = await api.Register();
        using var client = api.NewClient();
        var rotated = await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = user.RefreshToken });
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var next = (await rotated.Json()).GetProperty("refreshToken").GetString();
        Assert.NotEqual(user.RefreshToken, next);

        var reuse = await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = user.RefreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, reuse.StatusCode);
        Assert.Equal("refresh_token_reused", (await reuse.Json()).GetProperty("code").GetString());

        // The whole family is gone: the newest token and the session's access tokens no longer work.
        var afterRevoke = await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = next });
        Assert.Equal("refresh_token_invalid", (await afterRevoke.Json()).GetProperty("code").GetString());
        using var authed = api.ClientFor(user);
        Assert.Equal(HttpStatusCode.Unauthorized, (await authed.GetAsync("/api/v1/me")).StatusCode);

        // The owner's audit trail records the reuse (SPEC.md 3.13), without the token.
        using var admin = api.ClientFor(await api.Admin());
        var audit = await (await admin.GetAsync($"/api/v1/admin/audit?action=SESSION_REUSE_DETECTED&entityId={user.Id}")).Json();
        Assert.Single(audit.GetProperty("items").EnumerateArray());
        Assert.DoesNotContain(user.RefreshToken.Split('.')[1], audit.ToString());
    }

    [Fact]
    public async Task logout_ends_the_session_and_logout_all_ends_every_session()
    {
        var user = await api.Register();
        using var client = api.NewClient();
        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = TestUsers.Password });
        var second = user with { AccessToken = (await login.Json()).GetProperty("accessToken").GetString()! };

        using var first = api.ClientFor(user);
        Assert.Equal(HttpStatusCode.NoContent, (await first.PostAsync("/api/v1/auth/logout", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await first.GetAsync("/api/v1/me")).StatusCode);

        using var other = api.ClientFor(second);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await other.PostAsync("/api/v1/auth/logout-all", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task forged_and_garbage_tokens_are_unauthenticated()
    {
        var user = await api.Register();
        var parts = user.AccessToken.Split('.');
        var forgedPayload = Convert.ToBase64String(Encoding.UTF8.GetBytes(
            Encoding.UTF8.GetString(Base64Url(parts[1])).Replace("\"user\"", "\"admin\"", StringComparison.Ordinal)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        foreach (var token in new[] { $"{parts[0]}.{forgedPayload}.{parts[2]}", "garbage", $"{parts[0]}.{parts[1]}." })
        {
            using var client = api.NewClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var response = await client.GetAsync("/api/v1/me");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("unauthenticated", (await response.Json()).GetProperty("code").GetString());
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }
    }

    [Fact]
    public async Task an_expired_token_signed_with_the_right_key_is_unauthenticated()
    {
        var user = await api.Register();
        // The live session of a real token: only the expiry makes this token invalid. Its times are set back from the
        // real token's issue time, which is the API's own clock, the one that judges the expiry.
        var live = new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(user.AccessToken);
        var sid = live.GetClaim("sid").Value;
        var issued = live.IssuedAt;
        var handler = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        var expired = handler.CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = "nexchange",
            Audience = "nexchange-api",
            IssuedAt = issued.AddMinutes(-30),
            NotBefore = issued.AddMinutes(-30),
            Expires = issued.AddMinutes(-15),
            Claims = new Dictionary<string, object> { ["sub"] = user.Id.ToString(), ["sid"] = sid, ["role"] = "user", ["ev"] = false },
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(
                new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(Encoding.UTF8.GetBytes(api.SigningKey)), "HS256"),
        });
        using var client = api.NewClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", expired);
        var response = await client.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("unauthenticated", (await response.Json()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task refresh_with_a_missing_or_made_up_token_is_refresh_token_invalid()
    {
        using var client = api.NewClient();
        foreach (var body in new object[] { new { refreshToken = "abc.def" }, new { refreshToken = "no-dot" }, new { refreshToken = (string?)null } })
        {
            var response = await client.PostAsJsonAsync("/api/v1/auth/refresh", body);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("refresh_token_invalid", (await response.Json()).GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task a_json_body_over_64_kb_is_payload_too_large()
    {
        using var client = api.NewClient();
        var huge = $"{{\"email\":\"{new string('a', 70_000)}@x.org\",\"password\":\"p\"}}";
        var response = await client.PostAsync("/api/v1/auth/login", new StringContent(huge, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("payload_too_large", (await response.Json()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task verification_token_works_once_and_unknown_tokens_are_refused()
    {
        var user = await api.Register();
        var token = api.LatestToken(user.Email);
        using var client = api.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/auth/verify-email", new { token })).StatusCode);
        var again = await client.PostAsJsonAsync("/api/v1/auth/verify-email", new { token });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("token_invalid", (await again.Json()).GetProperty("code").GetString());
        var unknown = await client.PostAsJsonAsync("/api/v1/auth/verify-email", new { token = "' or 1=1 --" });
        Assert.Equal("token_invalid", (await unknown.Json()).GetProperty("code").GetString());

        using var authed = api.ClientFor(user);
        Assert.True((await (await authed.GetAsync("/api/v1/me")).Json()).GetProperty("emailVerified").GetBoolean());
    }

    [Fact]
    public async Task the_public_profile_shows_no_private_fields_and_unknown_ids_are_not_found()
    {
        var user = await api.Register();
        using var client = api.NewClient();
        var profile = await (await client.GetAsync($"/api/v1/users/{user.Id}")).Json();
        Assert.Equal(user.Id, profile.GetProperty("id").GetGuid());
        foreach (var secret in new[] { "email", "dateOfBirth", "zipCode", "role", "fullName", "phone" })
            Assert.False(profile.TryGetProperty(secret, out _), secret);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/users/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/users/not-a-uuid")).StatusCode);
    }

    [Fact]
    public async Task the_avatar_is_a_cacheable_svg_of_the_display_name()
    {
        var user = await api.Register();
        using var client = api.NewClient();
        var response = await client.GetAsync($"/api/v1/users/{user.Id}/avatar.svg?size=128");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=86400", response.Headers.CacheControl?.ToString());
        var svg = await response.Content.ReadAsStringAsync();
        Assert.Contains("width=\"128\"", svg, StringComparison.Ordinal);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/users/{user.Id}/avatar.svg?size=128");
        conditional.Headers.IfNoneMatch.Add(response.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(conditional)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/v1/users/{user.Id}/avatar.svg?size=15")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/users/{Guid.NewGuid()}/avatar.svg")).StatusCode);
    }

    private static byte[] Base64Url(string value)
    {
        var padded = value.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + (4 - padded.Length % 4) % 4, '='));
    }

    [GeneratedRegex("^[A-Z][a-z]+[A-Z][a-z]+_[1-9][0-9]{3}$")]
    private static partial Regex DisplayName();
}
