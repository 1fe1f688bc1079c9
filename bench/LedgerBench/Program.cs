using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NeXChange.Bench;
using NeXChange.Credits;
using NeXChange.Errors;
using Npgsql;

// Durable transfers per second, in one run on a fresh database with the same concurrency: issue 12's baseline (the
// same transfers as one plain PostgreSQL transaction each, no triggers, no grain: PlainLedger), the ledger writer with
// one database transaction per transfer, the group commit writer, and the grain path (CreditAccountGrain → the silo's
// ledger writer). Mix `uniform` picks both accounts at random; `hot` makes one account the recipient of half of all
// transfers. Prints a table and one JSON line; exits 1 when reconciliation finds drift.
// Usage (through bench/run.sh): LedgerBench [accounts=1000] [seconds=15] [concurrency=64] [mix=uniform|hot]
//                               LedgerBench holds [accounts=1000] [seconds=15] [concurrency=64]   (HoldScenario)
//                               LedgerBench trades [pairs=500] [concurrency=32]                  (TradeScenario)
//                               LedgerBench reconcile [entries=1000000] [runs=3]                 (ReconcileScenario)
switch (args.FirstOrDefault())
{
    case "trades": return await TradeScenario.RunAsync(args[1..]);
    case "holds": return await HoldScenario.RunAsync(args[1..]);
    case "reconcile": return await ReconcileScenario.RunAsync(args[1..]);
}
int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
var accounts = Arg(0, 1000);
var seconds = Arg(1, 15);
var concurrency = Arg(2, 64);
var hot = args.Length > 3 && args[3] == "hot";

await using var cluster = await BenchCluster.StartAsync("ledger");
var grains = cluster.Grains;
var users = await Seed.UsersAsync(cluster.DataSource, accounts);
await Seed.FundAsync(grains, users, 1_000_000);
Console.WriteLine($"{accounts} funded accounts, {(hot ? "hot" : "uniform")} mix, {concurrency} concurrent callers, {seconds} s per scenario, {Environment.ProcessorCount} cores");
await using var plain = await PlainLedger.CreateAsync(cluster.Postgres, users, 1_000_000);

Task<LatencySummary> Run(string name, Func<Guid, Guid, long, Task> transfer) =>
    Load.MeasureAsync(name, concurrency, TimeSpan.FromSeconds(seconds), (caller, i) =>
    {
        var random = Random.Shared;
        var from = users[random.Next(users.Length)];
        var to = hot && random.Next(2) == 0 ? users[0] : users[random.Next(users.Length)];
        if (to == from) to = users[(Array.IndexOf(users, from) + 1) % users.Length];
        return transfer(from, to, random.Next(1, 100));
    });

Func<Guid, Guid, long, Task> Through(ILedgerWriter writer) => (from, to, amount) =>
    writer.PostAsync(Movements.Transfer(from, new TransferOrder(to, amount, null, Guid.NewGuid().ToString())));
var baseline = await Run("baseline: plain SQL, 1 tx per transfer", async (from, to, amount) =>
{
    if (!await plain.TransferAsync(from, to, amount)) throw new DomainException(ErrorCodes.InsufficientFunds, "plain: insufficient funds");
});
var single = await Run("ledger writer, 1 tx per transfer", Through(cluster.Silo.Services.GetRequiredService<PostgresLedgerWriter>()));
await using var groupCommit = ActivatorUtilities.CreateInstance<GroupCommitLedgerWriter>(cluster.Silo.Services);
var grouped = await Run("group commit writer", Through(groupCommit));
var grainPath = await Run("CreditAccountGrain.Transfer", (from, to, amount) =>
    grains.GetGrain<ICreditAccountGrain>(from).Transfer(new TransferOrder(to, amount, null, Guid.NewGuid().ToString())));
var report = await cluster.ReconcileAsync();
Report.Print("ledger", new { mix = hot ? "hot" : "uniform", accounts, concurrency, seconds }, [new(baseline, single, grouped, grainPath)],
    new { reconciliationOk = report.Ok });
return report.Ok ? 0 : 1;
