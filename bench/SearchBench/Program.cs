using System.Diagnostics;
using System.Globalization;
using NeXChange.Bench;
using NeXChange.Search;
using Npgsql;

// Search latency on a fresh database of 100,000 active items: the full PostgresSearchIndex path (parse, category
// tree, ranked page + facets in one round trip) and suggestions, next to a plain ILIKE '%word%' scan, in one run.
// Usage (through bench/run.sh search): SearchBench [items=100000] [iterations=300] [--keep]
// --keep leaves the seeded database in place (its name is printed) for EXPLAIN work; drop it by hand afterwards.
var keep = args.Contains("--keep");
var positional = args.Where(a => a != "--keep").ToArray();
var itemCount = positional.Length > 0 ? int.Parse(positional[0], CultureInfo.InvariantCulture) : 100_000;
var iterations = positional.Length > 1 ? int.Parse(positional[1], CultureInfo.InvariantCulture) : 300;
var database = $"bench_search_{DateTime.UtcNow:yyyyMMddHHmmss}";
var postgres = await BenchDatabase.CreateAsync(database, new Dictionary<string, string?>(), maxPoolSize: 10);
var exitCode = 0;
try
{
    await using var dataSource = NpgsqlDataSource.Create(postgres);
    var random = new Random(42);
    var seeding = Stopwatch.StartNew();
    var categories = await Catalog.CategoriesAsync(dataSource);
    var sellers = await Catalog.SellersAsync(dataSource, 10_000, random);
    await Catalog.ItemsAsync(dataSource, itemCount, sellers, categories, random);
    await using (var analyze = dataSource.CreateCommand("analyze")) await analyze.ExecuteNonQueryAsync();
    Console.WriteLine($"seeded {itemCount} active items, {sellers.Length} sellers, {categories.Count} categories in {seeding.Elapsed.TotalSeconds:F1} s; {Environment.ProcessorCount} cores, 1 client, {iterations} runs per scenario");

    var index = new PostgresSearchIndex(dataSource, "https://bench.test");
    var settings = await new SearchSettingsStore(dataSource).ReadAsync();
    string Word() => Catalog.Nouns[random.Next(Catalog.Nouns.Length)].Split(' ')[0];

    async Task<LatencySummary> Run(string name, Func<Task> operation)
    {
        for (var i = 0; i < 20; i++) await operation(); // warm: pooled connections, plans, caches
        var latencies = new Latencies();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < iterations; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await operation();
            latencies.Add(started);
        }
        var summary = latencies.Summarize(name, clock.Elapsed);
        Console.WriteLine($"{name}: p95 {summary.P95Ms} ms");
        return summary;
    }

    Task Search(SearchQuery query) => index.SearchAsync(SearchQueryParser.Parse(query).WithFallbackPoint(null), settings, DateTimeOffset.UtcNow);
    string Prefix(string word) => word[..Math.Min(word.Length, 3 + random.Next(3))];
    SearchQuery Near()
    {
        var (_, point) = Catalog.Cities[random.Next(Catalog.Cities.Length)];
        return new SearchQuery(Lat: point.Lat.ToString(CultureInfo.InvariantCulture), Lng: point.Lng.ToString(CultureInfo.InvariantCulture));
    }

    LatencySummary[] results =
    [
        await Run("text + 25 km + condition + price + facets", () => Search(Near() with
        {
            Q = $"{Catalog.Adjectives[random.Next(Catalog.Adjectives.Length)].Split(' ')[0]} {Word()}",
            RadiusKm = "25", Condition = "new,like_new,good", MaxPriceMinor = "50000",
        })),
        await Run("text + 50 km + facets (one word)", () => Search(Near() with { Q = Word(), RadiusKm = "50" })),
        await Run("text only, whole country + facets", () => Search(new SearchQuery(Q: Word()))),
        await Run("category browse, newest + facets", () => Search(new SearchQuery(Category: categories[random.Next(categories.Count)].ToString(), Sort: "newest"))),
        await Run("no filter, relevance + facets (worst)", () => Search(new SearchQuery(Page: "3"))),
        await Run("suggest (3-5 char prefix)", () => index.SuggestAsync(Prefix(Word()))),
    ];
    await using var connection = await dataSource.OpenConnectionAsync();
    // A search needs its total, so the baseline counts the matches: no early stop on a common word.
    var baseline = await Run("baseline: ILIKE '%word%' scan + count", async () =>
    {
        await using var command = new NpgsqlCommand(
            "select count(*) from search_items where status = 'active' and (title ilike $1 or description ilike $1)",
            connection);
        command.Parameters.Add(new() { Value = $"%{Word()}%" });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) { }
    });
    Report.Print("search", new { items = itemCount, iterations, clients = 1 }, [new(baseline, results)]);
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
