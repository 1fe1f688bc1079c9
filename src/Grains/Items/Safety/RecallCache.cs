using System.Text.Json;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace NeXChange.Items.Safety;

/// <summary>
/// Answers of the API and the local list, 24 h per key in Redis (SPEC.md 4.4), shared by all silos. Redis trouble
/// is a miss on read and a no-op on write: the check goes on without its cache rather than failing.
/// </summary>
public sealed class RecallCache(IConnectionMultiplexer redis, SafetySettings settings, ILogger<RecallCache> logger)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public sealed record Entry(string Outcome, IReadOnlyList<string> RecallIds);

    public async Task<Entry?> GetAsync(RecallKey key)
    {
        if (!redis.IsConnected) return null;
        try
        {
            var value = await redis.GetDatabase().StringGetAsync(key.RedisKey(settings.KeyPrefix));
            return value.IsNullOrEmpty ? null : JsonSerializer.Deserialize<Entry>(value.ToString());
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Recall cache read failed for {Key}; checking without the cache", key);
            return null;
        }
    }

    public async Task SetAsync(RecallKey key, Entry entry)
    {
        if (!redis.IsConnected) return;
        try
        {
            await redis.GetDatabase().StringSetAsync(key.RedisKey(settings.KeyPrefix), JsonSerializer.Serialize(entry), Lifetime);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Recall cache write failed for {Key}", key);
        }
    }
}
