using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Time.Testing;
using NeXChange.Api.Idempotency;
using NeXChange.TestSupport;
using StackExchange.Redis;

namespace NeXChange.Api.Tests;

/// <summary>
/// The HTTP idempotency record is a lease in Redis (SPEC.md 2.7): only its holder may complete or release it, and once
/// it is gone (24 h) the ledger key still answers a retry as a replay.
/// </summary>
public sealed class IdempotencyLeaseTests(ApiFixture api) : IClassFixture<ApiFixture>, IAsyncLifetime
{
    private ConnectionMultiplexer redis = null!;

    public async Task InitializeAsync() => redis = await ConnectionMultiplexer.ConnectAsync(TestEnvironment.Redis);

    public async Task DisposeAsync() => await redis.DisposeAsync();

    private static IdempotencyStore.Record Done(string fingerprint, int status) => new(fingerprint, false, status, "application/json", "{}", null);

    [Fact]
    public async Task a_running_request_renews_its_short_lease_and_stops_when_it_ends()
    {
        var clock = new FakeTimeProvider();
        var store = new IdempotencyStore(redis, clock);
        var scope = Guid.NewGuid().ToString();
        var key = $"idem:{scope}:k";
        var (claim, _) = await store.TryClaimAsync(scope, "k", "fp");
        var db = redis.GetDatabase();
        Assert.InRange((await db.KeyTimeToLiveAsync(key))!.Value, TimeSpan.FromSeconds(1), IdempotencyStore.RunningLease);

        using var running = new CancellationTokenSource();
        var keepAlive = store.KeepAliveAsync(claim!, running.Token);
        await db.KeyExpireAsync(key, TimeSpan.FromSeconds(2)); // about to lapse
        clock.Advance(IdempotencyStore.RenewEvery);
        var renewed = await Polling.UntilAsync(() => db.KeyTimeToLiveAsync(key), ttl => ttl > TimeSpan.FromSeconds(5), "the lease renewed");

        await running.CancelAsync();
        await keepAlive;
        await db.KeyExpireAsync(key, TimeSpan.FromSeconds(2));
        clock.Advance(IdempotencyStore.RenewEvery);

        Assert.InRange(renewed!.Value, TimeSpan.FromSeconds(5), IdempotencyStore.RunningLease);
        Assert.True((await db.KeyTimeToLiveAsync(key))!.Value <= TimeSpan.FromSeconds(2)); // no renewal after the end
        Assert.True(keepAlive.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task a_request_whose_lease_expired_can_neither_complete_nor_release_the_next_claim()
    {
        var store = new IdempotencyStore(redis, TimeProvider.System);
        var scope = Guid.NewGuid().ToString();
        var (first, _) = await store.TryClaimAsync(scope, "k", "fp");
        await redis.GetDatabase().KeyDeleteAsync($"idem:{scope}:k"); // the first lease ran out
        var (second, _) = await store.TryClaimAsync(scope, "k", "fp");

        Assert.False(await store.CompleteAsync(first!, Done("fp", 201)));
        Assert.False(await store.ReleaseAsync(first!));
        var (_, held) = await store.TryClaimAsync(scope, "k", "fp");
        Assert.True(held!.Running); // still the second request's claim

        Assert.True(await store.CompleteAsync(second!, Done("fp", 201)));
        var (_, stored) = await store.TryClaimAsync(scope, "k", "fp");
        Assert.Equal((false, 201), (stored!.Running, stored.Status));
    }

    [Fact]
    public async Task a_transfer_retried_after_its_redis_record_expired_is_a_replay_from_the_ledger()
    {
        var a = await api.RegisterVerified();
        var b = await api.RegisterVerified();
        using var alice = api.ClientFor(a);
        var key = Guid.NewGuid().ToString();
        HttpRequestMessage Transfer()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/credits/transfers")
            {
                Content = JsonContent.Create(new { toUserId = b.Id, amountMinor = 1_200 }),
            };
            request.Headers.Add("Idempotency-Key", key);
            return request;
        }
        var first = await alice.SendAsync(Transfer());
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.False(first.Headers.Contains(IdempotencyMiddleware.ReplayedHeader));

        Assert.True(await redis.GetDatabase().KeyDeleteAsync($"idem:{a.Id}:{key}")); // as after 24 h
        var retry = await alice.SendAsync(Transfer());

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues(IdempotencyMiddleware.ReplayedHeader).Single());
        Assert.Equal((await first.Json()).GetProperty("transactionId").GetGuid(), (await retry.Json()).GetProperty("transactionId").GetGuid());
        var balance = await (await alice.GetAsync("/api/v1/me/credits")).Json();
        Assert.Equal(10_000 - 1_200, balance.GetProperty("availableMinor").GetInt64());
    }
}
