using System.Diagnostics;

namespace NeXChange.Bench;

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

    public string Report(string name, TimeSpan elapsed)
    {
        var sorted = samples.Order().ToArray();
        double P(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
        return FormattableString.Invariant(
            $"{name,-34} {sorted.Length / elapsed.TotalSeconds,9:F0} ops/s   p50 {P(0.50),7:F2} ms   p95 {P(0.95),7:F2} ms   p99 {P(0.99),7:F2} ms   ok {sorted.Length}   refused {Refused}");
    }
}
