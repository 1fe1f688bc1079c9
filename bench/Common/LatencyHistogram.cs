using System.Diagnostics;
using System.Numerics;

namespace NeXChange.Bench;

/// <summary>
/// Latencies in Stopwatch ticks, counted in log-linear buckets 1/64 of a power of two wide (exact below 128 ticks),
/// the scheme of HdrHistogram: constant memory whatever the number of calls, so a baseline doing millions of calls a
/// second is recorded like a scenario doing hundreds. Percentiles are bucket midpoints (within 1%); the maximum is exact.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBucketBits = 6;
    private const int SubBuckets = 1 << SubBucketBits;
    private const int Exact = 2 * SubBuckets;
    private readonly long[] counts = new long[Exact + (63 - SubBucketBits) * SubBuckets];

    public long Count { get; private set; }

    public long MaxTicks { get; private set; }

    public void Record(long ticks)
    {
        ticks = Math.Max(ticks, 0);
        counts[IndexOf(ticks)]++;
        Count++;
        MaxTicks = Math.Max(MaxTicks, ticks);
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < counts.Length; i++) counts[i] += other.counts[i];
        Count += other.Count;
        MaxTicks = Math.Max(MaxTicks, other.MaxTicks);
    }

    /// <summary>The latency under which a share <paramref name="quantile"/> of the calls finished, in milliseconds; NaN when empty.</summary>
    public double PercentileMs(double quantile)
    {
        if (Count == 0) return double.NaN;
        var rank = Math.Max(1, (long)Math.Ceiling(quantile * Count));
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank) return ToMs(Math.Min(MidpointOf(i), MaxTicks));
        }
        return ToMs(MaxTicks);
    }

    public double MaxMs => Count == 0 ? double.NaN : ToMs(MaxTicks);

    private static double ToMs(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static int IndexOf(long ticks)
    {
        if (ticks < Exact) return (int)ticks;
        var shift = 63 - BitOperations.LeadingZeroCount((ulong)ticks) - SubBucketBits;
        return Exact + (shift - 1) * SubBuckets + (int)(ticks >> shift) - SubBuckets;
    }

    private static long MidpointOf(int index)
    {
        if (index < Exact) return index;
        var shift = (index - Exact) / SubBuckets + 1;
        var subBucket = (index - Exact) % SubBuckets + SubBuckets;
        return ((long)subBucket << shift) + (1L << shift) / 2;
    }
}
