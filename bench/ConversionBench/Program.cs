using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NeXChange.Bench;
using NeXChange.Conversion;
using NeXChange.Credits;
using NeXChange.Errors;
using Npgsql;

// BTC conversions per second with the sandbox custodial partner (SPEC.md 7.5), through the users' ConversionDeskGrains
// on a fresh database: quotes alone, then quote + execution in both directions. The partner's signed webhooks go over
// HTTP to an API host run in this process (the real endpoint with its HMAC check, as the tests' ApiFixture does; simpler
// than a listener of our own, which would have to parse and verify them again). Then the run waits until every
// conversion completed and reconciles; a conversion left open or any drift fails the run. Baseline in the same run: as
// many plain transfers through CreditAccountGrain as there were executions, with the same concurrency.
// Usage (through bench/run.sh conversion): ConversionBench [seconds=15] [concurrency=32]
int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
var seconds = Arg(0, 15);
var concurrency = Arg(1, 32);
// Each caller owns its users, so no two callers queue on one user's grains.
const int UsersPerCaller = 4;
const string PayoutAddress = "tb1qconversionbenchpayoutaddress000000000";
var drainLimit = TimeSpan.FromSeconds(120);
// Signing keys and the webhook secret come from the environment bench/run.sh prepares; both hosts read the same values.
await using var cluster = await BenchCluster.StartAsync("conversion", withApi: true, extra: api => new Dictionary<string, string?>
{
    ["Conversion:Feed"] = "Sandbox",
    ["Custody:Mode"] = "Sandbox",
    ["Custody:DelaySeconds"] = "0",
    ["Custody:WebhookUrl"] = new Uri(api, "/api/v1/webhooks/custody").ToString(),
    // Under load a webhook delivery may time out and is sent again (the endpoint drops the repeat by its event id); only
    // a webhook given up (an error) matters here, and a conversion it leaves open fails the run anyway.
    ["Logging:LogLevel:NeXChange.Conversion.SandboxWebhookSender"] = "Error",
});

var grains = cluster.Grains;
var dataSource = cluster.DataSource;
var users = await Seed.UsersAsync(dataSource, concurrency * UsersPerCaller);
// Conversion is for ID-verified users (SPEC.md 7.1); set before any of their grains reads the row.
await using (var verify = dataSource.CreateCommand("update users set verification_status = 'verified'")) await verify.ExecuteNonQueryAsync();
await Seed.FundAsync(grains, users, 1_000_000);
Console.WriteLine($"{users.Length} ID-verified users, {concurrency} concurrent callers, {seconds} s per timed phase, sandbox partner " +
    $"(DelaySeconds 0, webhooks over HTTP to the in-process API), {Environment.ProcessorCount} cores");

var errors = new ConcurrentDictionary<string, int>();
var firstErrors = new ConcurrentDictionary<string, string>();
int IndexOf(int caller, long iteration) => caller * UsersPerCaller + (int)(iteration % UsersPerCaller);
Guid UserOf(int caller, long iteration) => users[IndexOf(caller, iteration)];
string DirectionOf(long iteration) => iteration % 2 == 0 ? ConversionDirections.CreditsToBtc : ConversionDirections.BtcToCredits;
// Distinct per user and direction within a phase, so the duplicate guard (SPEC.md 7.3) never refuses a bench call.
long AmountOf(long iteration) => 100 + iteration;

// A call timed into latencies when given; a failure counted under the phase and its code, never thrown.
async Task<T?> Measured<T>(string phase, Latencies? latencies, Func<Task<T>> call) where T : class
{
    var started = Stopwatch.GetTimestamp();
    try
    {
        var result = await call();
        latencies?.Add(started);
        return result;
    }
    catch (Exception e)
    {
        if (e is DomainException) latencies?.AddRefused();
        else latencies?.AddError(e);
        var key = $"{phase}: {(e is DomainException d ? d.Code : e.GetType().Name)}";
        errors.AddOrUpdate(key, 1, (_, n) => n + 1);
        firstErrors.TryAdd(key, e.Message);
        return null;
    }
}

// Warm-up, not timed: the first call activates each user's grains and the silo's lazily built services.
var warmUp = Stopwatch.StartNew();
await Parallel.ForEachAsync(users, async (id, _) =>
    await Measured("warm-up quote", null, () => grains.GetGrain<IConversionDeskGrain>(id).CreateQuote(ConversionDirections.BtcToCredits, 100)));
Console.WriteLine(FormattableString.Invariant($"warm-up: one quote per user in {warmUp.Elapsed.TotalSeconds:F1} s"));

var quoting = new Latencies();
var quotesElapsed = await Load.ForAsync(concurrency, TimeSpan.FromSeconds(seconds), (caller, i) =>
    Measured("quote", quoting, () => grains.GetGrain<IConversionDeskGrain>(UserOf(caller, i)).CreateQuote(DirectionOf(i), AmountOf(i))));

var executing = new Dictionary<string, Latencies> { [ConversionDirections.CreditsToBtc] = new(), [ConversionDirections.BtcToCredits] = new() };
var executed = new ConcurrentBag<Guid>();
var executionsElapsed = await Load.ForAsync(concurrency, TimeSpan.FromSeconds(seconds), async (caller, i) =>
{
    var desk = grains.GetGrain<IConversionDeskGrain>(UserOf(caller, i));
    var direction = DirectionOf(i);
    if (await Measured("quote before execution", null, () => desk.CreateQuote(direction, AmountOf(i))) is not { } quote) return;
    var order = new ExecutionOrder(quote.QuoteId, direction == ConversionDirections.CreditsToBtc ? PayoutAddress : null);
    if (await Measured($"execute {direction}", executing[direction], () => desk.Execute(order)) is { } conversion) executed.Add(conversion.Id);
});

// Every conversion must end, and end completed: the sandbox pays every payout and confirms every deposit in full.
var drain = Stopwatch.StartNew();
IReadOnlyDictionary<string, long> statuses;
while (true)
{
    statuses = await StatusCountsAsync(dataSource);
    var open = statuses.Where(s => s.Key is not (ConversionStatuses.Completed or ConversionStatuses.Failed)).Sum(s => s.Value);
    if (open == 0 || drain.Elapsed > drainLimit) break;
    await Task.Delay(100);
}
var drainSeconds = Math.Round(drain.Elapsed.TotalSeconds, 2);
var allCompleted = statuses.Count <= 1 && statuses.GetValueOrDefault(ConversionStatuses.Completed) == executed.Count;

var baseline = new Latencies();
var baselineElapsed = await Load.CountAsync(concurrency, executed.Count, (caller, i) =>
    Measured("baseline transfer", baseline, () => grains.GetGrain<ICreditAccountGrain>(UserOf(caller, i))
        .Transfer(new TransferOrder(users[(IndexOf(caller, i) + 1) % users.Length], 1, null, Guid.NewGuid().ToString()))));

var report = await cluster.ReconcileAsync();
long custodyEvents;
await using (var count = dataSource.CreateCommand("select count(*) from custody_events")) custodyEvents = (long)(await count.ExecuteScalarAsync())!;

var executionsPerSecond = Math.Round(executed.Count / executionsElapsed.TotalSeconds, 1);
Console.WriteLine(FormattableString.Invariant(
    $"{executed.Count} executed ({executionsPerSecond:F0}/s), statuses {JsonSerializer.Serialize(statuses)} {drainSeconds:F2} s after the last execution; {custodyEvents} partner events handled"));
Console.WriteLine(errors.IsEmpty ? "errors: none" : $"errors: {string.Join("; ", errors.OrderBy(e => e.Key).Select(e => $"{e.Key} x{e.Value} (first: {firstErrors[e.Key]})"))}");
Report.Print("conversion", new { seconds, concurrency, users = users.Length }, [new(
    baseline.Summarize("baseline: transfers (same count)", baselineElapsed),
    quoting.Summarize("quotes (both directions)", quotesElapsed),
    executing[ConversionDirections.CreditsToBtc].Summarize("executions credits_to_btc", executionsElapsed),
    executing[ConversionDirections.BtcToCredits].Summarize("executions btc_to_credits", executionsElapsed))],
    new { reconciliationOk = report.Ok, allCompleted, conversions = executed.Count, executionsPerSecond, statuses, drainSeconds, custodyEvents, errors });

if (!allCompleted)
    await Console.Error.WriteLineAsync($"FAILED: {executed.Count} conversions executed, but after {drainSeconds} s the statuses are {JsonSerializer.Serialize(statuses)}");
return report.Ok && allCompleted ? 0 : 1;

static async Task<IReadOnlyDictionary<string, long>> StatusCountsAsync(NpgsqlDataSource dataSource)
{
    await using var command = dataSource.CreateCommand("select status, count(*) from conversions group by status");
    await using var reader = await command.ExecuteReaderAsync();
    var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
    while (await reader.ReadAsync()) counts[reader.GetString(0)] = reader.GetInt64(1);
    return counts;
}
