using System.Diagnostics;
using System.Text.Json.Serialization;

namespace NeXChange.Bench;

/// <summary>
/// One scenario's line of a report: calls per second (completed calls over the scenario's wall time), latency
/// percentiles and maximum in milliseconds, calls that completed, calls the product refused (a domain refusal such as
/// insufficient funds, an expected answer) and calls that failed otherwise, with the first failure's message.
/// </summary>
public sealed record LatencySummary(string Name, double OpsPerSecond, double P50Ms, double P95Ms, double P99Ms, double MaxMs,
    long Ok, long Refused, long Errors, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? FirstError = null);

/// <summary>
/// Records one scenario's calls (or one caller's share of them: <see cref="Merge"/> adds them up). Thread-safe; a
/// caller that owns its instance never waits on the lock.
/// </summary>
public sealed class Latencies
{
    private readonly LatencyHistogram histogram = new();
    private readonly Lock gate = new();
    private long refused;
    private long errors;
    private string? firstError;

    /// <summary>A call that completed, started at <paramref name="startTimestamp"/> (<see cref="Stopwatch.GetTimestamp"/>).</summary>
    public void Add(long startTimestamp) => AddTicks(Stopwatch.GetTimestamp() - startTimestamp);

    /// <summary>A call that completed after <paramref name="ticks"/> Stopwatch ticks, for a call timed in parts.</summary>
    public void AddTicks(long ticks)
    {
        lock (gate) histogram.Record(ticks);
    }

    public void AddRefused()
    {
        lock (gate) refused++;
    }

    public void AddError(Exception error)
    {
        lock (gate)
        {
            errors++;
            firstError ??= $"{error.GetType().Name}: {error.Message}";
        }
    }

    public static Latencies Merge(IEnumerable<Latencies> parts)
    {
        var all = new Latencies();
        foreach (var part in parts)
        {
            lock (part.gate)
            {
                all.histogram.Add(part.histogram);
                all.refused += part.refused;
                all.errors += part.errors;
                all.firstError ??= part.firstError;
            }
        }
        return all;
    }

    public LatencySummary Summarize(string name, TimeSpan elapsed)
    {
        lock (gate)
        {
            double Ms(double value) => Math.Round(value, 3);
            return new LatencySummary(name, Math.Round(histogram.Count / elapsed.TotalSeconds, 1), Ms(histogram.PercentileMs(0.50)),
                Ms(histogram.PercentileMs(0.95)), Ms(histogram.PercentileMs(0.99)), Ms(histogram.MaxMs), histogram.Count, refused, errors, firstError);
        }
    }
}
