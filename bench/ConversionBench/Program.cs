using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NeXChange.Api.Hosting;
using NeXChange.Bench;
using NeXChange.Conversion;
using NeXChange.Credits;
using NeXChange.Errors;
using NeXChange.Silo.Hosting;
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
var redis = Environment.GetEnvironmentVariable("NEXCHANGE__ConnectionStrings__Redis") ?? throw new InvalidOperationException("run through bench/run.sh");

var limits = new Dictionary<string, string?>
{
    ["Limits:DailyOutflowCount"] = "1000000",
    ["Limits:DailyOutflowMinor"] = "1000000000000",
};
var postgres = await BenchDatabase.CreateAsync($"bench_conversion_{DateTime.UtcNow:yyyyMMddHHmmss}", limits, maxPoolSize: 100);
var apiPort = FreePort.Next();
// Signing keys and the webhook secret come from the environment bench/run.sh prepares; both hosts read the same values.
var settings = new Dictionary<string, string?>(limits)
{
    ["ConnectionStrings:Postgres"] = postgres,
    ["ConnectionStrings:Redis"] = redis,
    ["Orleans:ClusterId"] = $"bench-{Guid.NewGuid():N}",
    ["Orleans:SiloPort"] = "11313",
    ["Orleans:GatewayPort"] = "30313",
    ["Conversion:Feed"] = "Sandbox",
    ["Custody:Mode"] = "Sandbox",
    ["Custody:DelaySeconds"] = "0",
    ["Custody:WebhookUrl"] = $"http://127.0.0.1:{apiPort}/api/v1/webhooks/custody",
    ["Logging:LogLevel:Default"] = "Warning",
    // Under load a webhook delivery may time out and is sent again (the endpoint drops the repeat by its event id); only
    // a webhook given up (an error) matters here, and a conversion it leaves open fails the run anyway.
    ["Logging:LogLevel:NeXChange.Conversion.SandboxWebhookSender"] = "Error",
};
using var silo = SiloHost.Build(["--environment", "Bench"], b => b.Configuration.AddInMemoryCollection(settings));
await silo.StartAsync();
var api = ApiHost.Build(["--urls", $"http://127.0.0.1:{apiPort}", "--environment", "Bench"], b => b.Configuration.AddInMemoryCollection(settings));
await api.StartAsync();

var grains = silo.Services.GetRequiredService<IGrainFactory>();
var dataSource = silo.Services.GetRequiredService<NpgsqlDataSource>();
var users = await Seed.UsersAsync(dataSource, concurrency * UsersPerCaller);
// Conversion is for ID-verified users (SPEC.md 7.1); set before any of their grains reads the row.
await using (var verify = dataSource.CreateCommand("update users set verification_status = 'verified'")) await verify.ExecuteNonQueryAsync();
var adminId = Guid.CreateVersion7();
await Parallel.ForEachAsync(users, async (id, _) =>
    await grains.GetGrain<ICreditAccountGrain>(id).GrantByAdmin(new AdminGrant(adminId, $"bench-fund-{id}", 1_000_000, "benchmark funding")));
Console.WriteLine($"{users.Length} ID-verified users, {concurrency} concurrent callers, {seconds} s per timed phase, sandbox partner " +
    $"(DelaySeconds 0, webhooks over HTTP to the in-process API), {Environment.ProcessorCount} cores");

var errors = new ConcurrentDictionary<string, int>();
var firstErrors = new ConcurrentDictionary<string, string>();
int IndexOf(int caller, long iteration) => caller * UsersPerCaller + (int)(iteration % UsersPerCaller);
Guid UserOf(int caller, long iteration) => users[IndexOf(caller, iteration)];
string DirectionOf(long iteration) => iteration % 2 == 0 ? ConversionDirections.CreditsToBtc : ConversionDirections.BtcToCredits;
// Distinct per user and direction within a phase, so the duplicate guard (SPEC.md 7.3) never refuses a bench call.
long AmountOf(long iteration) => 100 + iteration;

// A call timed into latencies when given; a refusal counted under the phase and its code, never thrown.
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
        latencies?.AddRefused();
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

var report = await grains.GetGrain<ILedgerAuditGrain>(0).Reconcile();
long custodyEvents;
await using (var count = dataSource.CreateCommand("select count(*) from custody_events")) custodyEvents = (long)(await count.ExecuteScalarAsync())!;

var quotes = quoting.Summarize("quotes (both directions)", quotesElapsed);
var cashOuts = executing[ConversionDirections.CreditsToBtc].Summarize("executions credits_to_btc", executionsElapsed);
var topUps = executing[ConversionDirections.BtcToCredits].Summarize("executions btc_to_credits", executionsElapsed);
var transfers = baseline.Summarize("baseline: transfers (same count)", baselineElapsed);
var executionsPerSecond = Math.Round(executed.Count / executionsElapsed.TotalSeconds, 1);
Console.WriteLine();
foreach (var line in new[] { quotes, cashOuts, topUps, transfers }) Console.WriteLine(Latencies.Format(line));
Console.WriteLine(FormattableString.Invariant($"{"executions (both directions)",-34} {executionsPerSecond,9:F0} ops/s   ({executed.Count} conversions)"));
Console.WriteLine(FormattableString.Invariant(
    $"{executed.Count} executed, statuses {JsonSerializer.Serialize(statuses)} {drainSeconds:F2} s after the last execution; {custodyEvents} partner events handled"));
Console.WriteLine($"reconciliation ok={report.Ok} sum={report.SumOfBalancesMinor} clearing={report.ClearingMinor} transactions={report.TransactionsChecked} entries={report.EntriesChecked}");
Console.WriteLine(errors.IsEmpty ? "errors: none" : $"errors: {string.Join("; ", errors.OrderBy(e => e.Key).Select(e => $"{e.Key} x{e.Value} (first: {firstErrors[e.Key]})"))}");
Console.WriteLine();
Console.WriteLine(JsonSerializer.Serialize(new
{
    benchmark = "conversion",
    seconds,
    concurrency,
    users = users.Length,
    quotes,
    executions = new[] { cashOuts, topUps },
    executionsPerSecond,
    baseline = transfers,
    conversions = executed.Count,
    statuses,
    drainSeconds,
    custodyEvents,
    reconciliation = new { report.Ok, report.SumOfBalancesMinor, report.ClearingMinor, report.TransactionsChecked, report.EntriesChecked },
    errors,
}, JsonSerializerOptions.Web));

if (!allCompleted)
    await Console.Error.WriteLineAsync($"FAILED: {executed.Count} conversions executed, but after {drainSeconds} s the statuses are {JsonSerializer.Serialize(statuses)}");
if (!report.Ok)
    await Console.Error.WriteLineAsync($"FAILED: ledger drift after the run: {JsonSerializer.Serialize(report, JsonSerializerOptions.Web)}");
await api.StopAsync();
await api.DisposeAsync();
await silo.StopAsync();
await BenchDatabase.DropAsync(postgres);
return report.Ok && allCompleted ? 0 : 1;

static async Task<IReadOnlyDictionary<string, long>> StatusCountsAsync(NpgsqlDataSource dataSource)
{
    await using var command = dataSource.CreateCommand("select status, count(*) from conversions group by status");
    await using var reader = await command.ExecuteReaderAsync();
    var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
    while (await reader.ReadAsync()) counts[reader.GetString(0)] = reader.GetInt64(1);
    return counts;
}
