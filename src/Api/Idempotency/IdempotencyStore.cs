using System.Text.Json;
using StackExchange.Redis;

namespace NeXChange.Api.Idempotency;

/// <summary>
/// HTTP-level idempotency records in Redis, shared by every API node, scoped to (caller, key), kept 24 h.
/// A record is claimed with SET NX while the first request runs, then replaced by its final response.
/// </summary>
public sealed class IdempotencyStore(IConnectionMultiplexer redis)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);
    private static readonly TimeSpan RunningLease = TimeSpan.FromMinutes(2);

    public sealed record Record(string Fingerprint, bool Running, int Status, string? ContentType, string? Body, string? Location);

    /// <summary>Claims the key for a new request, or returns the record that already holds it.</summary>
    public async Task<Record?> TryClaimAsync(string scope, string key, string fingerprint)
    {
        var db = redis.GetDatabase();
        var running = new Record(fingerprint, true, 0, null, null, null);
        // The lease is short: a node that dies mid-request must not block the key for a day.
        if (await db.StringSetAsync(Key(scope, key), Serialize(running), RunningLease, When.NotExists)) return null;
        var existing = await db.StringGetAsync(Key(scope, key));
        return existing.IsNull ? await TryClaimAsync(scope, key, fingerprint) : JsonSerializer.Deserialize<Record>((string)existing!);
    }

    public Task CompleteAsync(string scope, string key, Record record) =>
        redis.GetDatabase().StringSetAsync(Key(scope, key), Serialize(record), Lifetime);

    public Task ReleaseAsync(string scope, string key) => redis.GetDatabase().KeyDeleteAsync(Key(scope, key));

    private static string Serialize(Record record) => JsonSerializer.Serialize(record);

    private static RedisKey Key(string scope, string key) => $"idem:{scope}:{key}";
}
