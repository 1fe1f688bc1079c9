using System.Text.Json;
using StackExchange.Redis;

namespace NeXChange.Api.Idempotency;

/// <summary>
/// HTTP-level idempotency records in Redis, shared by every API node, scoped to (caller, key), kept 24 h.
/// A record is claimed with SET NX while the first request runs, then replaced by its final response. The claim is a
/// lease: only the request holding it may complete or release it, so a request that outlived its lease cannot
/// overwrite or delete the record of the request that claimed the key after it. The lease is short and renewed while
/// its request runs (<see cref="KeepAliveAsync"/>): the claim of a request that can no longer finish (its API node
/// killed, or Redis down when it should have released the key) lapses within <see cref="RunningLease"/>, after which a
/// retry runs anew and the ledger's own key makes it replay rather than move money twice.
/// </summary>
public sealed class IdempotencyStore(IConnectionMultiplexer redis, TimeProvider time)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);
    public static readonly TimeSpan RunningLease = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(5);

    // Compare-and-set and compare-and-delete in one step: a GET followed by a SET from the client could interleave with
    // another node's claim.
    private static readonly LuaScript CompleteScript = LuaScript.Prepare(
        "if redis.call('GET', @key) == @lease then redis.call('SET', @key, @record, 'PX', @ttl) return 1 end return 0");
    private static readonly LuaScript ReleaseScript = LuaScript.Prepare(
        "if redis.call('GET', @key) == @lease then return redis.call('DEL', @key) end return 0");
    private static readonly LuaScript RenewScript = LuaScript.Prepare(
        "if redis.call('GET', @key) == @lease then return redis.call('PEXPIRE', @key, @ttl) end return 0");

    /// <summary>A stored request; <see cref="Lease"/> makes the value of each running claim unique.</summary>
    public sealed record Record(string Fingerprint, bool Running, int Status, string? ContentType, string? Body, string? Location, string? Lease = null);

    /// <summary>The claim of one request: the exact value it wrote, which only it may replace or delete.</summary>
    public sealed record Claim(string Scope, string Key, string Value);

    /// <summary>Claims the key for a new request, or returns the record that already holds it.</summary>
    public async Task<(Claim? Claim, Record? Existing)> TryClaimAsync(string scope, string key, string fingerprint)
    {
        var db = redis.GetDatabase();
        var value = Serialize(new Record(fingerprint, true, 0, null, null, null, Guid.NewGuid().ToString("N")));
        // The lease is short: a node that dies mid-request must not block the key for long.
        if (await db.StringSetAsync(Key(scope, key), value, RunningLease, When.NotExists)) return (new Claim(scope, key, value), null);
        var existing = await db.StringGetAsync(Key(scope, key));
        return existing.IsNull ? await TryClaimAsync(scope, key, fingerprint) : (null, JsonSerializer.Deserialize<Record>((string)existing!));
    }

    /// <summary>Stores the final response; false when the lease was lost (expired and taken by another request).</summary>
    public async Task<bool> CompleteAsync(Claim claim, Record record) =>
        (int)await redis.GetDatabase().ScriptEvaluateAsync(CompleteScript, new
        {
            key = Key(claim.Scope, claim.Key),
            lease = claim.Value,
            record = Serialize(record),
            ttl = (long)Lifetime.TotalMilliseconds,
        }) == 1;

    /// <summary>Gives the key up so that a retry runs anew; false when the lease was already lost.</summary>
    public async Task<bool> ReleaseAsync(Claim claim) =>
        (int)await redis.GetDatabase().ScriptEvaluateAsync(ReleaseScript, new { key = Key(claim.Scope, claim.Key), lease = claim.Value }) == 1;

    /// <summary>
    /// Renews the claim every <see cref="RenewEvery"/> until <paramref name="stop"/> is cancelled (the request ended).
    /// A renewal that cannot reach Redis is skipped: the lease may then lapse, which only lets a retry run anew.
    /// </summary>
    public async Task KeepAliveAsync(Claim claim, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(RenewEvery, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                try
                {
                    await redis.GetDatabase().ScriptEvaluateAsync(RenewScript,
                        new { key = Key(claim.Scope, claim.Key), lease = claim.Value, ttl = (long)RunningLease.TotalMilliseconds });
                }
                catch (RedisException)
                {
                    // Unreachable now; the next tick tries again.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The request ended.
        }
    }

    private static string Serialize(Record record) => JsonSerializer.Serialize(record);

    private static RedisKey Key(string scope, string key) => $"idem:{scope}:{key}";
}
