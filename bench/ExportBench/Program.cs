using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using NeXChange.Bench;
using NeXChange.Privacy.Export;
using NeXChange.Storage;
using Npgsql;

// The data-subject export (SPEC.md 3.10) of a user with 1,000 ledger entries, 200 items and 50 photos, next to the
// same kind of user with a tenth of everything, in one run on a fresh database and a temp filesystem blob store:
// time and bytes allocated, then the peak live managed heap and working set of a run watched by a collecting sampler. Memory that stays
// level while the data grows tenfold is the point: the archive is streamed, not built in memory.
// Usage (through bench/run.sh export): ExportBench [ledgerEntries=1000] [items=200] [photos=50] [runs=3]
int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
var target = new ExportSeed.Owned(Arg(0, 1000), Arg(1, 200), Arg(2, 50));
var baseline = new ExportSeed.Owned(target.LedgerEntries / 10, target.Items / 10, target.Photos / 10);
var runs = Arg(3, 3);
const int PhotoWidth = 1200, PhotoHeight = 900;

var postgres = await BenchDatabase.CreateAsync($"bench_export_{DateTime.UtcNow:yyyyMMddHHmmss}", new Dictionary<string, string?>(), maxPoolSize: 10);
var root = Directory.CreateTempSubdirectory("nexchange-export-bench-").FullName;
try
{
    await using var dataSource = NpgsqlDataSource.Create(postgres);
    var blobs = new FileSystemBlobStore(Path.Combine(root, "blobs"), "http://127.0.0.1",
        new MediaUrlSigner(Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)), TimeProvider.System));
    var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Data:Dir"] = root }).Build();
    var writer = new DataExportWriter(dataSource, blobs, configuration, TimeProvider.System, NullLogger<DataExportWriter>.Instance);

    var seeding = Stopwatch.StartNew();
    var random = new Random(42);
    var users = await Seed.UsersAsync(dataSource, 2);
    var category = await ExportSeed.CategoryAsync(dataSource);
    var scenarios = new[] { ("baseline (1/10)", users[0], baseline), ("target", users[1], target) };
    foreach (var (_, user, owned) in scenarios)
        await ExportSeed.UserAsync(dataSource, blobs, user, category, owned, (PhotoWidth, PhotoHeight), random);
    Console.WriteLine($"seeded in {seeding.Elapsed.TotalSeconds:F1} s; photo masters {PhotoWidth}x{PhotoHeight} JPEG q80; {runs} runs per scenario; {Environment.ProcessorCount} cores");

    // Warm-up: JIT, connection pool, PostgreSQL caches.
    await writer.WriteAsync(users[0], "private/exports/warmup.zip", CancellationToken.None);

    const double MB = 1024 * 1024;
    var results = new List<ExportMeasurement>();
    foreach (var (name, user, owned) in scenarios)
    {
        var times = new List<double>();
        long size = 0, allocated = 0;
        var key = $"private/exports/{user:N}.zip";
        for (var run = 0; run < runs; run++)
        {
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var clock = Stopwatch.StartNew();
            size = (await writer.WriteAsync(user, key, CancellationToken.None)).SizeBytes;
            times.Add(clock.Elapsed.TotalMilliseconds);
            allocated = Math.Max(allocated, GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore);
        }
        var watch = new MemoryWatch();
        await writer.WriteAsync(user, key, CancellationToken.None);
        watch.Stop();
        var (peakHeap, peakWorkingSet) = (watch.PeakHeapAboveStart, watch.PeakWorkingSetAboveStart);
        times.Sort();
        results.Add(new ExportMeasurement(name, owned.LedgerEntries, owned.Items, owned.Photos, Math.Round(size / MB, 2),
            Math.Round(times[times.Count / 2]), Math.Round(allocated / MB, 1), Math.Round(peakHeap / MB, 2), Math.Round(peakWorkingSet / MB, 2)));
    }

    Console.WriteLine();
    Console.WriteLine($"{"scenario",-16} {"ledger",7} {"items",6} {"photos",6} {"zip MB",8} {"median ms",10} {"alloc MB",9} {"peak live +MB",14} {"peak WS +MB",12}");
    foreach (var m in results)
        Console.WriteLine($"{m.Scenario,-16} {m.LedgerEntries,7} {m.Items,6} {m.Photos,6} {m.ArchiveMegabytes,8:F2} {m.MedianMilliseconds,10:F0} {m.AllocatedMegabytes,9:F1} {m.PeakLiveHeapAboveStartMegabytes,14:F2} {m.PeakWorkingSetAboveStartMegabytes,12:F2}");
    Console.WriteLine("(alloc: the most any timed run allocated; peaks: one more run, collected every few ms, above its starting level)");
    Console.WriteLine();
    Console.WriteLine(JsonSerializer.Serialize(new { benchmark = "export", runs, results }, JsonSerializerOptions.Web));
}
finally
{
    await BenchDatabase.DropAsync(postgres);
    Directory.Delete(root, recursive: true);
}

/// <summary>One scenario's line of the report (megabytes are MiB).</summary>
internal sealed record ExportMeasurement(string Scenario, int LedgerEntries, int Items, int Photos, double ArchiveMegabytes,
    double MedianMilliseconds, double AllocatedMegabytes, double PeakLiveHeapAboveStartMegabytes, double PeakWorkingSetAboveStartMegabytes);
