namespace NeXChange.Conversion;

/// <summary>
/// The samples of the last 5 minutes (SPEC.md 7.1), ordered by observation time. A reading older than the latest sample,
/// or the latest one polled again (a stuck feed), adds nothing: it is no new evidence of a price. A different price
/// observed at the same instant is.
/// </summary>
public sealed class PriceWindow
{
    public static readonly TimeSpan Span = TimeSpan.FromMinutes(5);

    private readonly List<PriceObservation> samples = [];

    public PriceObservation? Latest => samples.Count > 0 ? samples[^1] : null;

    /// <summary>True when the reading was new and kept.</summary>
    public bool Add(PriceObservation reading, DateTimeOffset now)
    {
        samples.RemoveAll(s => s.ObservedAt < now - Span);
        if (Latest is { } latest && (reading.ObservedAt < latest.ObservedAt || reading == latest)) return false;
        if (reading.ObservedAt < now - Span) return false;
        samples.Add(reading);
        return true;
    }

    /// <summary>(max − min) / min of the samples observed in the 5 minutes before <paramref name="now"/>, in basis points, exactly compared.</summary>
    public Movement MovementAt(DateTimeOffset now)
    {
        var recent = samples.Where(s => s.ObservedAt >= now - Span).Select(s => s.MidMinorPerBtc).ToList();
        return recent.Count == 0 ? new Movement(0, 1) : new Movement(recent.Max() - recent.Min(), recent.Min());
    }

    /// <summary>The oldest sample still inside the window at <paramref name="now"/>.</summary>
    public DateTimeOffset? OldestAt(DateTimeOffset now) => samples.FirstOrDefault(s => s.ObservedAt >= now - Span)?.ObservedAt;
}

/// <summary>A price movement as the exact fraction <see cref="Spread"/> / <see cref="Base"/>.</summary>
public readonly record struct Movement(long Spread, long Base)
{
    /// <summary>Spread / Base > bps / 10 000, in 128-bit integers so no price can overflow it.</summary>
    public bool Exceeds(int bps) => (Int128)Spread * 10_000 > (Int128)bps * Base;
}
