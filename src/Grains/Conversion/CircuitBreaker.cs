namespace NeXChange.Conversion;

/// <summary>
/// The breaker of SPEC.md 7.2, a pure function of the samples, the time, the sticky volatility pause and the operator
/// switch. Order: the operator's maintenance first (it is deliberate), then a running volatility pause, then a stale
/// feed; degraded only when nothing pauses.
/// </summary>
public static class CircuitBreaker
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(120);
    public static readonly TimeSpan DegradedAfter = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan VolatilityPause = TimeSpan.FromMinutes(5);
    public const int PauseMovementBps = 500;
    public const int DegradedMovementBps = 250;
    public const long StaleRetryAfterSeconds = 30;
    public const long MaintenanceRetryAfterSeconds = 300;

    /// <summary>Whether a window that just took a sample trips the volatility pause.</summary>
    public static bool Trips(PriceWindow window, DateTimeOffset now) => window.MovementAt(now).Exceeds(PauseMovementBps);

    public static ConversionStatus Evaluate(PriceWindow window, DateTimeOffset now, DateTimeOffset? pausedUntil, bool maintenance)
    {
        var latest = window.Latest;
        var movement = window.MovementAt(now);
        ConversionStatus Status(string status, string? reason, long? retryAfter) =>
            new(status, reason, latest?.MidMinorPerBtc, latest?.ObservedAt, retryAfter);

        if (maintenance) return Status(BreakerStatuses.Paused, BreakerReasons.Maintenance, MaintenanceRetryAfterSeconds);
        if (pausedUntil > now) return Status(BreakerStatuses.Paused, BreakerReasons.Volatility, SecondsUntil(pausedUntil.Value, now));
        if (movement.Exceeds(PauseMovementBps))
        {
            // Still swinging after the pause ran out: paused at least until the oldest sample leaves the window.
            return Status(BreakerStatuses.Paused, BreakerReasons.Volatility, SecondsUntil(window.OldestAt(now)!.Value + PriceWindow.Span, now));
        }
        if (latest is null || now - latest.ObservedAt > StaleAfter)
            return Status(BreakerStatuses.Paused, BreakerReasons.StaleFeed, StaleRetryAfterSeconds);
        if (now - latest.ObservedAt > DegradedAfter) return Status(BreakerStatuses.Degraded, BreakerReasons.StaleFeed, null);
        if (movement.Exceeds(DegradedMovementBps)) return Status(BreakerStatuses.Degraded, BreakerReasons.Volatility, null);
        return Status(BreakerStatuses.Normal, null, null);
    }

    /// <summary>Whole seconds, rounded up and at least 1: a client that waits that long finds the pause over.</summary>
    private static long SecondsUntil(DateTimeOffset end, DateTimeOffset now) =>
        Math.Max(1, ((end - now).Ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond);
}
