using System.Net;
using System.Net.Http.Json;

namespace NeXChange.Api.Tests;

/// <summary>Both hosts use a Redis of the fixture's own (membership, sessions, rate limits), which a test can stop.</summary>
public sealed class RedisOutageFixture : ApiFixture
{
    public RedisProcess Redis { get; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["ConnectionStrings:Redis"] = Redis.ConnectionString };

    public override async Task InitializeAsync()
    {
        await Redis.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        // Back up (AOF keeps the membership), so that the silo leaves the cluster as it would after an outage.
        if (!Redis.Running) await Redis.StartAsync();
        await base.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

/// <summary>
/// With Redis really stopped, the classes that guard credentials fail closed and browsing goes on (SPEC.md 3.12),
/// signed-in browsing included: the session check fails open (3.2).
/// </summary>
public sealed class RedisOutageTests(RedisOutageFixture api) : IClassFixture<RedisOutageFixture>
{
    [Fact]
    public async Task with_redis_stopped_login_registration_and_reset_answer_503_while_browsing_answers_200()
    {
        var user = await api.RegisterVerified();
        await api.Redis.StopAsync();

        using var client = api.NewClient();
        await AssertUnavailable(await client.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = user.Password }));
        await AssertUnavailable(await client.PostAsJsonAsync("/api/v1/auth/register", TestUsers.RegistrationBody($"outage-{Guid.NewGuid():N}@example.org")));
        await AssertUnavailable(await client.PostAsJsonAsync("/api/v1/auth/password-reset", new { email = user.Email }));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/categories")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/items?q=bike")).StatusCode);
        using var signedIn = api.ClientFor(user);
        Assert.Equal(HttpStatusCode.OK, (await signedIn.GetAsync("/api/v1/items?q=bike")).StatusCode);
    }

    private static async Task AssertUnavailable(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("service_unavailable", (await response.Json()).GetProperty("code").GetString());
    }
}
