using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NeXChange.Bench;
using NeXChange.Credits;
using NeXChange.Errors;
using NeXChange.Silo.Hosting;
using Npgsql;

// Durable transfers per second, in one run on a fresh database with the same concurrency: issue 12's baseline (the
// same transfers as one plain PostgreSQL transaction each, no triggers, no grain: PlainLedger), the ledger writer with
// one database transaction per transfer, the group commit writer, and the grain path (CreditAccountGrain → the silo's
// ledger writer). Mix `uniform` picks both accounts at random; `hot` makes one account the recipient of half of all
// transfers. Prints a table and one JSON line; exits 1 when reconciliation finds drift.
// Usage (through bench/run.sh): LedgerBench [accounts=1000] [seconds=15] [concurrency=64] [mix=uniform|hot]
//                               LedgerBench trades [pairs=500] [concurrency=32]   (TradeScenario)
if (args.FirstOrDefault() == "trades") return await TradeScenario.RunAsync(args[1..]);
var accounts = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1000;
var seconds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 15;
var concurrency = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 64;
var hot = args.Length > 3 && args[3] == "hot";
var redis = Environment.GetEnvironmentVariable("NEXCHANGE__ConnectionStrings__Redis") ?? throw new InvalidOperationException("run through bench/run.sh");
// The rest of the silo's settings (signing keys, public URL) come from the environment bench/run.sh prepares.

var limits = new Dictionary<string, string?>
{
    ["Limits:DailyOutflowCount"] = "1000000",
    ["Limits:DailyOutflowMinor"] = "1000000000000",
};
var postgres = await BenchDatabase.CreateAsync($"bench_{DateTime.UtcNow:yyyyMMddHHmmss}", limits, maxPoolSize: 100);

using var silo = SiloHost.Build([], b =>
{
    b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(limits)
    {
        ["ConnectionStrings:Postgres"] = postgres,
        ["ConnectionStrings:Redis"] = redis,
        ["Orleans:ClusterId"] = $"bench-{Guid.NewGuid():N}",
        ["Orleans:SiloPort"] = "11311",
        ["Orleans:GatewayPort"] = "30311",
        ["Logging:LogLevel:Default"] = "Warning",
    });
});
await silo.StartAsync();
var grains = silo.Services.GetRequiredService<IGrainFactory>();
var dataSource = silo.Services.GetRequiredService<NpgsqlDataSource>();
var users = await Seed.UsersAsync(dataSource, accounts);
var adminId = Guid.CreateVersion7();
await Parallel.ForEachAsync(users, async (id, _) =>
    await grains.GetGrain<ICreditAccountGrain>(id).GrantByAdmin(new AdminGrant(adminId, $"bench-fund-{id}", 1_000_000, "benchmark funding")));
Console.WriteLine($"{accounts} funded accounts, {(hot ? "hot" : "uniform")} mix, {concurrency} concurrent callers, {seconds} s per scenario, {Environment.ProcessorCount} cores");
await using var ownerData = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(
    Environment.GetEnvironmentVariable("NEXCHANGE__ConnectionStrings__PostgresOwner")!) { Database = new NpgsqlConnectionStringBuilder(postgres).Database, MaxPoolSize = 100 }.ConnectionString);
var plain = new PlainLedger(ownerData);
await plain.CreateAsync(users, 1_000_000);

async Task<LatencySummary> Run(string name, Func<Guid, Guid, long, Task> transfer)
{
    var latencies = new Latencies();
    var stop = Stopwatch.StartNew();
    var until = TimeSpan.FromSeconds(seconds);
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
    {
        var random = new Random(worker);
        while (stop.Elapsed < until)
        {
            var from = users[random.Next(users.Length)];
            var to = hot && random.Next(2) == 0 ? users[0] : users[random.Next(users.Length)];
            if (from == to) continue;
            var started = Stopwatch.GetTimestamp();
            try
            {
                await transfer(from, to, random.Next(1, 100));
                latencies.Add(started);
            }
            catch (DomainException)
            {
                latencies.AddRefused();
            }
        }
    })));
    var summary = latencies.Summarize(name, stop.Elapsed);
    Console.WriteLine(Latencies.Format(summary));
    return summary;
}

Func<Guid, Guid, long, Task> Through(ILedgerWriter writer) => (from, to, amount) =>
    writer.PostAsync(Movements.Transfer(from, new TransferOrder(to, amount, null, Guid.NewGuid().ToString())));
var baseline = await Run("baseline: plain SQL, 1 tx per transfer", async (from, to, amount) =>
{
    if (!await plain.TransferAsync(from, to, amount)) throw new DomainException(ErrorCodes.InsufficientFunds, "plain: insufficient funds");
});
var single = await Run("ledger writer, 1 tx per transfer", Through(silo.Services.GetRequiredService<PostgresLedgerWriter>()));
await using var groupCommit = ActivatorUtilities.CreateInstance<GroupCommitLedgerWriter>(silo.Services);
var grouped = await Run("group commit writer", Through(groupCommit));
var grainPath = await Run("CreditAccountGrain.Transfer", (from, to, amount) =>
    grains.GetGrain<ICreditAccountGrain>(from).Transfer(new TransferOrder(to, amount, null, Guid.NewGuid().ToString())));
var report = await grains.GetGrain<ILedgerAuditGrain>(0).Reconcile();
Console.WriteLine($"reconciliation ok={report.Ok} sum={report.SumOfBalancesMinor} transactions={report.TransactionsChecked} entries={report.EntriesChecked}");
Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
{
    bench = "ledger",
    mix = hot ? "hot" : "uniform",
    accounts,
    concurrency,
    seconds,
    cores = Environment.ProcessorCount,
    scenarios = new[] { baseline, single, grouped, grainPath },
    grainPathVsBaseline = Math.Round(grainPath.OpsPerSecond / baseline.OpsPerSecond, 2),
    reconciliationOk = report.Ok,
}, System.Text.Json.JsonSerializerOptions.Web));
if (!report.Ok) await Console.Error.WriteLineAsync("FAILED: the ledger does not reconcile after the run");
await silo.StopAsync();
await BenchDatabase.DropAsync(postgres);
return report.Ok ? 0 : 1;
