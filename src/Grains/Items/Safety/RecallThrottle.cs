using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace NeXChange.Items.Safety;

/// <summary>
/// One recall API request per interval across the cluster (SPEC.md 4.4): the Redis key <c>{prefix}throttle</c> holds
/// the next free request slot, and a caller reserves the first free slot in one atomic step, then waits for it. A
/// caller whose slot would come after the maximum wait reserves nothing and gives up at once, as it does when Redis
/// cannot be reached: the cluster-wide limit cannot be kept without it, so the check uses the local list instead.
/// Slots are times on the injected clock, so tests can move them; hosts keep their clocks in step (NTP), and a skew
/// between two silos brings their requests at most that much closer. The key expires an interval after its last
/// reserved slot, so a clock that stepped back cannot hold the slots for long.
/// </summary>
public sealed class RecallThrottle(IConnectionMultiplexer redis, SafetySettings settings, TimeProvider time, ILogger<RecallThrottle> logger)
{
    // KEYS[1] = next free slot; ARGV = now, interval, max wait (ms). Returns the wait for the reserved slot, or -1.
    private const string ReserveScript = """
        local now = tonumber(ARGV[1])
        local interval = tonumber(ARGV[2])
        local slot = math.max(now, tonumber(redis.call('GET', KEYS[1]) or ARGV[1]))
        local wait = slot - now
        if wait > tonumber(ARGV[3]) then return -1 end
        redis.call('SET', KEYS[1], slot + interval, 'PX', math.max(1, wait + interval))
        return wait
        """;

    public async Task<bool> TryAcquireAsync(CancellationToken cancellationToken)
    {
        if (!redis.IsConnected) return false;
        long wait;
        try
        {
            wait = (long)await redis.GetDatabase().ScriptEvaluateAsync(ReserveScript, [settings.KeyPrefix + "throttle"],
                [time.GetUtcNow().ToUnixTimeMilliseconds(), Milliseconds(settings.RecallApiInterval), Milliseconds(settings.RecallApiMaxWait)]);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Recall API throttle unavailable; not calling the API");
            return false;
        }
        if (wait < 0) return false;
        // A caller cancelled while waiting leaves its slot unused: the API is then asked less often, never more.
        if (wait > 0) await Task.Delay(TimeSpan.FromMilliseconds(wait), time, cancellationToken);
        return true;
    }

    private static long Milliseconds(TimeSpan span) => (long)span.TotalMilliseconds;
}
