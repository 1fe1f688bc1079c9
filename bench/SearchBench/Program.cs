using System.Diagnostics;
using System.Globalization;
using NeXChange.Bench;
using NeXChange.Search;
using Npgsql;

// Search latency on a fresh database of 100,000 active items: the full PostgresSearchIndex path (parse, category
// tree, ranked page + facets) and suggestions, next to a plain ILIKE '%word%' scan, in one run. Every scenario runs
// with one client, then again with `concurrency` clients sharing the same pool (SPEC.md 10: p95 < 50 ms both ways).
// Usage (through bench/run.sh search): SearchBench [items=100000] [iterations=300] [concurrency=8] [--keep]
// `iterations` is per scenario and per client count, spread over the clients.
// --keep leaves the seeded database in place (its name is printed) for EXPLAIN work; drop it by hand afterwards.
var keep = args.Contains("--keep");
var positional = args.Where(a => a != "--keep").ToArray();
int Arg(int i, int fallback) => positional.Length > i ? int.Parse(positional[i], CultureInfo.InvariantCulture) : fallback;
var itemCount = Arg(0, 100_000);
var iterations = Arg(1, 300);
var concurrency = Arg(2, 8);
var database = $"bench_search_{DateTime.UtcNow:yyyyMMddHHmmss}";
var postgres = await BenchDatabase.CreateAsync(database, new Dictionary<string, string?>(), maxPoolSize: Math.Max(10, concurrency + 2));
var exitCode = 0;
try
{
    await using var dataSource = NpgsqlDataSource.Create(postgres);
    var seedRandom = new Random(42);
    var seeding = Stopwatch.StartNew();
    var categories = await Catalog.CategoriesAsync(dataSource);
    var sellers = await Catalog.SellersAsync(dataSource, 10_000, seedRandom);
    await Catalog.ItemsAsync(dataSource, itemCount, sellers, categories, seedRandom);
    await using (var analyze = dataSource.CreateCommand("analyze")) await analyze.ExecuteNonQueryAsync();
    Console.WriteLine($"seeded {itemCount} active items, {sellers.Length} sellers, {categories.Count} categories in {seeding.Elapsed.TotalSeconds:F1} s; "
                      + $"{Environment.ProcessorCount} cores, 1 and {concurrency} clients, {iterations} runs per scenario and client count");

    var index = new PostgresSearchIndex(dataSource, "https://bench.test");
    var settings = await new SearchSettingsStore(dataSource).ReadAsync();

    // Each client draws its queries from a Random of its own (Random is not thread-safe), seeded for repeatability.
    async Task<LatencySummary> Run(string name, int clients, Func<Random, Task> operation)
    {
        var warm = new Random(7);
        for (var i = 0; i < 20; i++) await operation(warm); // warm: pooled connections, plans, caches
        var latencies = new Latencies();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            var random = new Random(1000 + client);
            for (var i = client; i < iterations; i += clients)
            {
                var started = Stopwatch.GetTimestamp();
                await operation(random);
                latencies.Add(started);
            }
        })));
        var summary = latencies.Summarize($"{name} [{clients}c]", clock.Elapsed);
        Console.WriteLine($"{summary.Name}: p95 {summary.P95Ms} ms");
        return summary;
    }

    string Word(Random random) => Catalog.Nouns[random.Next(Catalog.Nouns.Length)].Split(' ')[0];
    Task Search(SearchQuery query) => index.SearchAsync(SearchQueryParser.Parse(query).WithFallbackPoint(null), settings, DateTimeOffset.UtcNow);
    string Prefix(Random random, string word) => word[..Math.Min(word.Length, 3 + random.Next(3))];
    SearchQuery Near(Random random)
    {
        var (_, point) = Catalog.Cities[random.Next(Catalog.Cities.Length)];
        return new SearchQuery(Lat: point.Lat.ToString(CultureInfo.InvariantCulture), Lng: point.Lng.ToString(CultureInfo.InvariantCulture));
    }

    var scenarios = new (string Name, Func<Random, Task> Operation)[]
    {
        ("text + 25 km + condition + price + facets", r => Search(Near(r) with
        {
            Q = $"{Catalog.Adjectives[r.Next(Catalog.Adjectives.Length)].Split(' ')[0]} {Word(r)}",
            RadiusKm = "25", Condition = "new,like_new,good", MaxPriceMinor = "50000",
        })),
        ("text + 50 km + facets (one word)", r => Search(Near(r) with { Q = Word(r), RadiusKm = "50" })),
        ("text only, whole country + facets", r => Search(new SearchQuery(Q: Word(r)))),
        ("category browse, newest + facets", r => Search(new SearchQuery(Category: categories[r.Next(categories.Count)].ToString(), Sort: "newest"))),
        ("no filter, relevance + facets (worst)", _ => Search(new SearchQuery(Page: "3"))),
        ("suggest (3-5 char prefix)", r => index.SuggestAsync(Prefix(r, Word(r)))),
        // A search needs its total, so the baseline counts the matches: no early stop on a common word.
        ("baseline: ILIKE '%word%' scan + count", async r =>
        {
            await using var command = dataSource.CreateCommand(
                "select count(*) from search_items where status = 'active' and (title ilike $1 or description ilike $1)");
            command.Parameters.Add(new() { Value = $"%{Word(r)}%" });
            await command.ExecuteScalarAsync();
        }),
    };
    // One comparison per client count: every scenario next to the ILIKE baseline run with as many clients.
    var comparisons = new List<Comparison>();
    foreach (var clients in concurrency > 1 ? new[] { 1, concurrency } : [1])
    {
        var results = new List<LatencySummary>();
        foreach (var (name, operation) in scenarios) results.Add(await Run(name, clients, operation));
        comparisons.Add(new Comparison(results[^1], [.. results[..^1]]));
    }
    Report.Print("search", new { items = itemCount, iterations, concurrency }, comparisons);
}
catch (Exception e)
{
    Console.Error.WriteLine(e);
    exitCode = 1;
}
finally
{
    NpgsqlConnection.ClearAllPools();
    if (keep) Console.WriteLine($"kept database {database}");
    else await BenchDatabase.DropAsync(postgres);
}
return exitCode;
