using System.Net;
using System.Net.Http.Json;
using NeXChange.TestSupport;
using StackExchange.Redis;

namespace NeXChange.Api.Tests.Retention;

/// <summary>
/// Refresh sessions (at most 30 d) and idempotency records (24 h) are never swept: Redis expires them (SPEC.md 3.11).
/// The tests read each key's time to live as the API left it, without waiting for it.
/// </summary>
public sealed class RedisExpiryTests(ApiFixture api) : IClassFixture<ApiFixture>, IAsyncLifetime
{
    // Generous against a slow machine, far below the next shorter lifetime a bug could set.
    private static readonly TimeSpan Slack = TimeSpan.FromHours(1);

    private ConnectionMultiplexer redis = null!;

    public async Task InitializeAsync() => redis = await ConnectionMultiplexer.ConnectAsync(TestEnvironment.Redis);

    public async Task DisposeAsync() => await redis.DisposeAsync();

    private async Task<TimeSpan> TimeToLive(string key) =>
        await redis.GetDatabase().KeyTimeToLiveAsync(key) ?? throw new Xunit.Sdk.XunitException($"{key} has no expiry");

    [Fact]
    public async Task a_refresh_session_expires_30_days_after_login_and_a_refresh_does_not_extend_it()
    {
        var user = await api.Register();
        var sessionId = user.RefreshToken[..user.RefreshToken.IndexOf('.', StringComparison.Ordinal)];
        var atLogin = await TimeToLive($"session:{sessionId}");
        using var client = api.NewClient();
        var refreshed = await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = user.RefreshToken });
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);

        Assert.InRange(atLogin, TimeSpan.FromDays(30) - Slack, TimeSpan.FromDays(30));
        Assert.InRange(await TimeToLive($"session:{sessionId}"), TimeSpan.Zero, atLogin);
        Assert.InRange(await TimeToLive($"session:{sessionId}:used"), TimeSpan.Zero, atLogin);
        Assert.InRange(await TimeToLive($"user-sessions:{user.Id}"), TimeSpan.FromDays(30) - Slack, TimeSpan.FromDays(30));
    }

    [Fact]
    public async Task an_idempotency_record_expires_24_hours_after_the_request()
    {
        var (a, b) = (await api.RegisterVerified(), await api.RegisterVerified());
        using var alice = api.ClientFor(a);
        var key = Guid.NewGuid().ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/credits/transfers")
        {
            Content = JsonContent.Create(new { toUserId = b.Id, amountMinor = 100 }),
        };
        request.Headers.Add("Idempotency-Key", key);
        Assert.Equal(HttpStatusCode.Created, (await alice.SendAsync(request)).StatusCode);

        Assert.InRange(await TimeToLive($"idem:{a.Id}:{key}"), TimeSpan.FromHours(24) - Slack, TimeSpan.FromHours(24));
    }
}
