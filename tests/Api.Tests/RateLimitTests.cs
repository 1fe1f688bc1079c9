using System.Net;
using System.Net.Http.Json;
using NeXChange.TestSupport;

namespace NeXChange.Api.Tests;

/// <summary>The API with SPEC.md 3.12's defaults for the api and login classes (registration left open for set-up).</summary>
public sealed class DefaultLimitsFixture : ApiFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:Api:Limit"] = "100",
        ["RateLimits:Login:Limit"] = "5",
    };
}

/// <summary>The API with SPEC.md 3.12's default registration limit.</summary>
public sealed class RegistrationLimitFixture : ApiFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["RateLimits:Register:Limit"] = "3" };
}

public sealed class RegistrationLimitTests(RegistrationLimitFixture api) : IClassFixture<RegistrationLimitFixture>
{
    [Fact]
    public async Task the_fourth_registration_from_one_address_within_an_hour_is_refused_and_creates_nothing()
    {
        using var client = api.NewClient();
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/auth/register", TestUsers.RegistrationBody($"r{i}-{Guid.NewGuid():N}@example.org"))).StatusCode);
        var email = $"fourth-{Guid.NewGuid():N}@example.org";
        var fourth = await client.PostAsJsonAsync("/api/v1/auth/register", TestUsers.RegistrationBody(email));
        Assert.Equal(HttpStatusCode.TooManyRequests, fourth.StatusCode);
        var login = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = TestUsers.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }
}

public sealed class RateLimitTests(DefaultLimitsFixture api) : IClassFixture<DefaultLimitsFixture>
{
    private static int Header(HttpResponseMessage response, string name) => int.Parse(response.Headers.GetValues(name).Single(), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task the_sixth_login_attempt_for_an_email_within_five_minutes_is_refused()
    {
        using var client = api.NewClient();
        var email = $"target-{Guid.NewGuid():N}@example.org";
        for (var i = 0; i < 5; i++)
        {
            var attempt = await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = TestPasswords.New() });
            Assert.Equal(HttpStatusCode.Unauthorized, attempt.StatusCode);
            Assert.Equal(4 - i, Header(attempt, "RateLimit-Remaining"));
        }
        var sixth = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = email.ToUpperInvariant(), password = TestPasswords.New() });
        Assert.Equal(HttpStatusCode.TooManyRequests, sixth.StatusCode);
        var problem = await sixth.Json();
        Assert.Equal("rate_limited", problem.GetProperty("code").GetString());
        var retryAfter = int.Parse(sixth.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 300);
        Assert.Equal(retryAfter, problem.GetProperty("retryAfterSeconds").GetInt32());
        Assert.Equal(5, Header(sixth, "RateLimit-Limit"));

        var otherEmail = await client.PostAsJsonAsync("/api/v1/auth/login", new { email = $"other-{email}", password = TestPasswords.New() });
        Assert.Equal(HttpStatusCode.Unauthorized, otherEmail.StatusCode);
    }

    [Fact]
    public async Task a_user_gets_one_hundred_requests_a_minute_and_health_is_exempt()
    {
        var user = await api.Register();
        using var client = api.ClientFor(user);
        // The helper's profile update (TestUsers.Register) was the user's first request of the minute.
        for (var i = 1; i < 100; i++)
        {
            var ok = await client.GetAsync("/api/v1/me");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal(99 - i, Header(ok, "RateLimit-Remaining"));
        }
        var refused = await client.GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);

        var health = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.False(health.Headers.Contains("RateLimit-Limit"));
    }
}
