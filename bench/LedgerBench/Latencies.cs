using System.Diagnostics;

namespace NeXChange.Bench;

/// <summary>One scenario's throughput and latency percentiles, as a bench prints them and writes them to its JSON.</summary>
public sealed record LatencySummary(string Name, double OpsPerSecond, double P50Ms, double P95Ms, double P99Ms, int Ok, int Refused);

/// <summary>Throughput and latency percentiles of one scenario.</summary>
public sealed class Latencies
{
    private readonly List<double> samples = [];
    private readonly Lock gate = new();

    public int Refused { get; private set; }

    public void Add(long startTimestamp)
    {
        var ms = Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds;
        lock (gate) samples.Add(ms);
    }

    public void AddRefused()
    {
        lock (gate) Refused++;
    }

    public LatencySummary Summarize(string name, TimeSpan elapsed)
    {
        double[] sorted;
        lock (gate) sorted = samples.Order().ToArray();
        double P(double q) => sorted.Length == 0 ? double.NaN : Math.Round(sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))], 2);
        return new LatencySummary(name, Math.Round(sorted.Length / elapsed.TotalSeconds, 1), P(0.50), P(0.95), P(0.99), sorted.Length, Refused);
    }

    public string Report(string name, TimeSpan elapsed) => Format(Summarize(name, elapsed));

    public static string Format(LatencySummary s) => FormattableString.Invariant(
        $"{s.Name,-34} {s.OpsPerSecond,9:F0} ops/s   p50 {s.P50Ms,7:F2} ms   p95 {s.P95Ms,7:F2} ms   p99 {s.P99Ms,7:F2} ms   ok {s.Ok}   refused {s.Refused}");
}
