namespace NeXChange.Feedback;

/// <summary>The counts one profile's reputation is computed from (SPEC.md 6.9).</summary>
public sealed record ReputationCounts(long RatingSum, int RatingCount, int Successes, int Failures, int OnTimeArrivals,
    int ClosedArrivalWindows, int NoShows);

/// <summary>
/// A user's reputation as profiles show it (SPEC.md 6.9): the average of visible ratings to 2 decimals, the
/// completion and on-time rates in percent to 1 decimal, each null when nothing has been counted yet. Halves round
/// away from zero, as people round (4.125 → 4.13), not to even.
/// </summary>
public sealed record Reputation(decimal? RatingAverage, int RatingCount, int CompletedTrades, decimal? CompletionRate,
    decimal? OnTimeArrivalRate, int NoShowCount)
{
    public static Reputation From(ReputationCounts c) => new(
        Ratio(c.RatingSum, c.RatingCount, 1, 2),
        c.RatingCount,
        c.Successes,
        Ratio(c.Successes, c.Successes + c.Failures, 100, 1),
        Ratio(c.OnTimeArrivals, c.ClosedArrivalWindows, 100, 1),
        c.NoShows);

    private static decimal? Ratio(long part, long whole, int scale, int decimals) =>
        whole == 0 ? null : Math.Round(scale * (decimal)part / whole, decimals, MidpointRounding.AwayFromZero);
}
