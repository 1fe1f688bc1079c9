using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NeXChange.Api.Auth;
using NeXChange.Bench;
using NeXChange.Credits;
using NeXChange.Users;

// Requests per second through the real API, HTTP over loopback, with many concurrent connections (issue 12
// `http-transfers`, `http-search`): a silo and an API host in this process on a fresh database, wrk as the client (see
// Wrk for why). Each run: a 3 s warm-up of the measured requests (JIT, pools, grain activations; not reported), the
// baseline `GET /health/live` with the same client, connections and duration, then the measured requests.
// The `api` rate limit class (SPEC.md 3.12: 100 requests per 60 s per user, or per address for anonymous search)
// is raised to 10^9 for the bench by configuration (RateLimits:Api:Limit), so it never answers 429: its Redis window is
// still checked on every request, as in production, but the limit is not what is measured.
//   transfers [users=200] [seconds=15] [connections=64]: POST /api/v1/credits/transfers between seeded, funded users,
//     each request with its sender's bearer token and a fresh Idempotency-Key; reconciliation afterwards (exit 1 on drift).
//   search [items=100000] [seconds=15] [connections=64]: anonymous GET /api/v1/items (text, text near a city, category
//     browse) and /api/v1/items/suggest over the search bench's seeded catalogue.
var mode = args.FirstOrDefault() ?? "transfers";
int Arg(int index, int fallback) => args.Length > index + 1 ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
var size = Arg(0, mode == "search" ? 100_000 : 200);
var seconds = Arg(1, 15);
var connections = Arg(2, 64);
if (mode is not ("transfers" or "search")) throw new ArgumentException($"unknown mode '{mode}' (transfers, search)");

await using var cluster = await BenchCluster.StartAsync($"http_{mode}", withApi: true, extra: _ => new Dictionary<string, string?>
{
    ["RateLimits:Api:Limit"] = "1000000000",
});
var random = new Random(42);
var requests = mode == "transfers" ? await TransfersAsync() : await SearchesAsync();
Console.WriteLine($"{mode}: {size} {(mode == "transfers" ? "users" : "items")}, {requests.Count} distinct requests, {connections} connections, {seconds} s per phase, wrk, {Environment.ProcessorCount} cores");

var warmUp = await new Wrk(cluster.ApiUrl, connections, TimeSpan.FromSeconds(3)).RunAsync("warm-up", requests);
var wrk = new Wrk(cluster.ApiUrl, connections, TimeSpan.FromSeconds(seconds));
var baseline = await wrk.RunAsync("baseline: GET /health/live", [("GET", "/health/live", null, null)]);
var measured = await wrk.RunAsync(mode == "transfers" ? "POST /api/v1/credits/transfers" : "GET /api/v1/items, /items/suggest", requests);
var settings = new { size, connections, seconds, client = "wrk", apiRateLimit = 1_000_000_000 };
if (mode != "transfers")
{
    Report.Print("http-search", settings, [new(baseline, measured)]);
    return 0;
}
// Every acknowledged transfer (a 201) is in the ledger; beyond those, only requests that got no 2xx answer may be: wrk's
// errors (a timed-out request may still have been posted) and those in flight when wrk stopped, one a connection a run.
var report = await cluster.ReconcileAsync();
long posted;
await using (var count = cluster.DataSource.CreateCommand("select count(*) from ledger.transactions where kind = $1"))
{
    count.Parameters.Add(new() { Value = MovementKinds.Transfer });
    posted = (long)(await count.ExecuteScalarAsync())!;
}
var (acknowledged, unanswered) = (warmUp.Ok + measured.Ok, warmUp.Errors + measured.Errors + 2 * connections);
var accounted = posted >= acknowledged && posted <= acknowledged + unanswered;
Report.Print("http-transfers", settings, [new(baseline, measured)], new { reconciliationOk = report.Ok, acknowledged, posted, accounted });
if (!accounted) await Console.Error.WriteLineAsync($"FAILED: {acknowledged} transfers acknowledged and at most {unanswered} unanswered, but {posted} in the ledger");
return report.Ok && accounted ? 0 : 1;

// Seeded users with 1,000,000 each and a bearer token per user, issued as a login would (a Redis session and a signed
// access token, 15 minutes); registration and login would cost a PBKDF2 hash per user and hit the auth rate limits.
async Task<List<(string, string, string?, string?)>> TransfersAsync()
{
    var users = await Seed.UsersAsync(cluster.DataSource, size);
    await Seed.FundAsync(cluster.Grains, users, 1_000_000);
    var (sessions, tokens) = (cluster.Api!.Services.GetRequiredService<SessionStore>(), cluster.Api.Services.GetRequiredService<TokenIssuer>());
    var bearer = new Dictionary<Guid, string>();
    foreach (var user in users)
        bearer[user] = tokens.Issue(new AuthIdentity(user, "user", true), (await sessions.CreateAsync(user, "user", "HttpBench", "127.0.0.1")).SessionId).Token;
    return [.. Enumerable.Range(0, 20 * users.Length).Select(i =>
    {
        var (from, to) = (users[i % users.Length], users[(i % users.Length + 1 + random.Next(users.Length - 1)) % users.Length]);
        return ("POST", "/api/v1/credits/transfers", (string?)bearer[from],
            (string?)JsonSerializer.Serialize(new { toUserId = to, amountMinor = random.Next(1, 100) }));
    })];
}

// The search bench's catalogue, and a mix of anonymous queries like SearchBench's scenarios.
async Task<List<(string, string, string?, string?)>> SearchesAsync()
{
    var categories = await Catalog.CategoriesAsync(cluster.DataSource);
    await Catalog.ItemsAsync(cluster.DataSource, size, await Catalog.SellersAsync(cluster.DataSource, 10_000, random), categories, random);
    await using (var analyze = cluster.DataSource.CreateCommand("analyze")) await analyze.ExecuteNonQueryAsync();
    string Word() => Uri.EscapeDataString(Catalog.Nouns[random.Next(Catalog.Nouns.Length)].Split(' ')[0]);
    string Near()
    {
        var (_, point) = Catalog.Cities[random.Next(Catalog.Cities.Length)];
        return string.Create(CultureInfo.InvariantCulture, $"lat={point.Lat}&lng={point.Lng}&radiusKm=50");
    }
    return [.. Enumerable.Range(0, 2000).Select(i => ("GET", (i % 4) switch
    {
        0 => $"/api/v1/items?q={Word()}&{Near()}",
        1 => $"/api/v1/items?q={Word()}",
        2 => $"/api/v1/items?category={categories[random.Next(categories.Count)]}&sort=newest",
        _ => $"/api/v1/items/suggest?q={Word()[..3]}",
    }, (string?)null, (string?)null))];
}
