using System.Diagnostics;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace NeXChange.Items.Safety;

/// <summary>
/// One recall API request per interval across the cluster (SPEC.md 4.4): a request slot is the Redis key
/// <c>{prefix}throttle</c> set with NX and an expiry of one interval, so whoever sets it may call and everyone else
/// waits until it expires. A caller gives up after the maximum wait, and at once when Redis cannot be reached: the
/// cluster-wide limit cannot be kept without it, so the check uses the local list instead.
/// Waiting is measured on the real clock because the slot's expiry runs on Redis's clock, not the injected one.
/// </summary>
public sealed class RecallThrottle(IConnectionMultiplexer redis, SafetySettings settings, ILogger<RecallThrottle> logger)
{
    private static readonly TimeSpan ShortestPoll = TimeSpan.FromMilliseconds(5);

    public async Task<bool> TryAcquireAsync(CancellationToken cancellationToken)
    {
        if (!redis.IsConnected) return false;
        var key = settings.KeyPrefix + "throttle";
        var started = Stopwatch.GetTimestamp();
        try
        {
            var db = redis.GetDatabase();
            while (true)
            {
                if (await db.StringSetAsync(key, "1", settings.RecallApiInterval, When.NotExists)) return true;
                // The slot frees when the key expires; sleep until then unless that is past the caller's patience.
                var wait = await db.KeyTimeToLiveAsync(key) ?? TimeSpan.Zero;
                if (wait < ShortestPoll) wait = ShortestPoll;
                if (Stopwatch.GetElapsedTime(started) + wait > settings.RecallApiMaxWait) return false;
                await Task.Delay(wait, cancellationToken);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Recall API throttle unavailable; not calling the API");
            return false;
        }
    }
}
