using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace NeXChange.Bench;

/// <summary>A baseline and what is measured against it, in the same run (issue 12).</summary>
public sealed record Comparison(LatencySummary Baseline, params LatencySummary[] Measured);

/// <summary>Every bench's output: a table for people, then one JSON line for tools (the last line of the run).</summary>
public static class Report
{
    // A scenario with no completed call has NaN percentiles: written as "NaN" rather than failing the run at its end.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerOptions.Web)
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // Read by people and tools, never embedded in HTML: scenario names keep their quotes and plus signs.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Prints each comparison's baseline followed by its measured rows, each with its throughput as a multiple of the
    /// baseline's. <paramref name="settings"/> (sizes, concurrency, duration) and <paramref name="checks"/> (such as the
    /// reconciliation's outcome) go into the JSON as given.
    /// </summary>
    public static void Print(string bench, object settings, IReadOnlyList<Comparison> comparisons, object? checks = null)
    {
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{"scenario",-44} {"ops/s",10} {"p50 ms",9} {"p95 ms",9} {"p99 ms",9} {"max ms",9} {"ok",9} {"refused",8} {"errors",7} {"x base",7}"));
        foreach (var comparison in comparisons)
        {
            Console.WriteLine(Row(comparison.Baseline, "base"));
            foreach (var measured in comparison.Measured)
                Console.WriteLine(Row(measured, Ratio(measured, comparison.Baseline).ToString("F2", CultureInfo.InvariantCulture)));
        }
        foreach (var error in comparisons.SelectMany(c => c.Measured.Prepend(c.Baseline)).Where(s => s.FirstError is not null))
            Console.WriteLine($"first error of '{error.Name}': {error.FirstError}");
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            bench,
            cores = Environment.ProcessorCount,
            settings,
            comparisons = comparisons.Select(c => new
            {
                baseline = c.Baseline,
                measured = c.Measured.Select(m => new { scenario = m, vsBaseline = Ratio(m, c.Baseline) }),
            }),
            checks,
        }, Json));
    }

    private static double Ratio(LatencySummary measured, LatencySummary baseline) =>
        baseline.OpsPerSecond > 0 ? Math.Round(measured.OpsPerSecond / baseline.OpsPerSecond, 3) : double.NaN;

    private static string Row(LatencySummary s, string ratio) => string.Create(CultureInfo.InvariantCulture,
        $"{s.Name,-44} {s.OpsPerSecond,10:F0} {s.P50Ms,9:F3} {s.P95Ms,9:F3} {s.P99Ms,9:F3} {s.MaxMs,9:F1} {s.Ok,9} {s.Refused,8} {s.Errors,7} {ratio,7}");
}
