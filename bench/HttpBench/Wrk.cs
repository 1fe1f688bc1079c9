using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace NeXChange.Bench;

/// <summary>
/// The HTTP load generator: wrk (Debian's package, installed by bench/run.sh) with requests.lua. Chosen over a C# client
/// in this process because everything shares 2 cores: wrk is a small C program on epoll with HdrHistogram latencies, so
/// the load costs little CPU and no GC in the process being measured, and its connections are closed-loop (the next
/// request on a connection leaves when the answer came), as the benches' callers are.
/// </summary>
public sealed class Wrk(Uri baseUrl, int connections, TimeSpan duration)
{
    private static readonly string Script = Path.Combine(AppContext.BaseDirectory, "requests.lua");

    /// <summary>
    /// One request a line of <paramref name="requests"/>: method, path, bearer token, JSON body (the last two may be
    /// empty). Every answer of status 400 or above, and every socket error or timeout, counts as an error; ops/s counts
    /// the other answers.
    /// </summary>
    public async Task<LatencySummary> RunAsync(string name, IEnumerable<(string Method, string Path, string? Token, string? Body)> requests)
    {
        var file = Path.Combine(Path.GetTempPath(), $"nexchange-wrk-{Guid.NewGuid():N}.tsv");
        try
        {
            // Holds bearer tokens: created 0600 under bench/run.sh's umask and deleted after the run.
            await File.WriteAllLinesAsync(file, requests.Select(r => $"{r.Method}\t{r.Path}\t{r.Token}\t{r.Body}"));
            var start = new ProcessStartInfo("wrk")
            {
                ArgumentList =
                {
                    "-t", Math.Min(Environment.ProcessorCount, connections).ToString(CultureInfo.InvariantCulture),
                    "-c", connections.ToString(CultureInfo.InvariantCulture),
                    "-d", $"{(int)duration.TotalSeconds}s",
                    "--timeout", "10s",
                    "-s", Script,
                    baseUrl.ToString(),
                    // Idempotency keys unique to this run of wrk, whose request counters start again at 1.
                    "--", file, Guid.NewGuid().ToString("N"),
                },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var wrk = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start");
            var output = await wrk.StandardOutput.ReadToEndAsync();
            var error = await wrk.StandardError.ReadToEndAsync();
            await wrk.WaitForExitAsync();
            var json = output.Split('\n').LastOrDefault(l => l.StartsWith('{'));
            if (wrk.ExitCode != 0 || json is null) throw new InvalidOperationException($"wrk failed ({wrk.ExitCode}): {error}{output}");
            var r = JsonSerializer.Deserialize<WrkResult>(json, JsonSerializerOptions.Web)!;
            var errors = r.Status + r.Connect + r.Read + r.Write + r.Timeout;
            var ok = r.Requests - r.Status;
            static double Ms(double us) => Math.Round(us / 1000, 3);
            return new LatencySummary(name, Math.Round(ok / (r.DurationUs / 1e6), 1), Ms(r.P50), Ms(r.P95), Ms(r.P99), Ms(r.Max), ok, 0, errors,
                errors > 0 ? $"wrk: {r.Status} answers >= 400, {r.Connect + r.Read + r.Write} socket errors, {r.Timeout} timeouts" : null);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private sealed record WrkResult(long Requests, long DurationUs, long Status, long Connect, long Read, long Write, long Timeout,
        double P50, double P95, double P99, double Max);
}
