using StackExchange.Redis;

namespace NeXChange.Api.RateLimiting;

/// <summary>
/// An exact sliding window in Redis, shared by every API node: a sorted set of the accepted requests' times per
/// key. One Lua script trims, counts and (only when accepted) records, so concurrent requests cannot overshoot
/// and refused requests do not extend a lock-out.
/// </summary>
public sealed class SlidingWindow(IConnectionMultiplexer redis, RateLimitOptions options, TimeProvider time)
{
    private const string Script = """
        local now = tonumber(ARGV[1])
        local window = tonumber(ARGV[2])
        local limit = tonumber(ARGV[3])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
        local count = redis.call('ZCARD', KEYS[1])
        local accepted = 0
        if count < limit then
          redis.call('ZADD', KEYS[1], now, ARGV[4])
          redis.call('PEXPIRE', KEYS[1], window)
          count = count + 1
          accepted = 1
        end
        local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
        return {accepted, count, tonumber(oldest[2])}
        """;

    /// <summary>The outcome; <see cref="ResetSeconds"/> is when the oldest counted request leaves the window.</summary>
    public sealed record Decision(bool Accepted, int Limit, int Remaining, int ResetSeconds);

    public async Task<Decision> TryAcquireAsync(RateLimitClass limits, string key)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var window = (long)limits.Window.TotalMilliseconds;
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Script,
            [(RedisKey)$"{options.KeyPrefix}{limits.Name}:{key}"],
            [now, window, limits.Limit, $"{now}:{Guid.NewGuid():N}"]))!;
        var accepted = (int)result[0] == 1;
        var count = (int)result[1];
        var oldest = (long)result[2];
        var reset = (int)Math.Max(1, Math.Ceiling((oldest + window - now) / 1000.0));
        return new Decision(accepted, limits.Limit, Math.Max(0, limits.Limit - count), reset);
    }
}
