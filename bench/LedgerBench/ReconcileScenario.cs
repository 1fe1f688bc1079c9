using System.Diagnostics;
using System.Globalization;
using NeXChange.Credits;
using Npgsql;

namespace NeXChange.Bench;

/// <summary>
/// Reconciliation (SPEC.md 2.9) of a ledger of a million entries (issue 12: under 30 s). The ledger is written straight
/// into the bench database as the owner, set-based, with the ledger triggers off inside the seeding transaction only
/// (posting a million entries one by one would take the bench far longer than what it measures): grants from the
/// issuance shards to 10,000 users, then transfers of 1 between them, every balance_after the running sum. Baseline: one
/// plain scan of the same entries summed per account, the floor of any recomputation. Exits 1 unless every run is ok.
/// Usage: LedgerBench reconcile [entries=1000000] [runs=3]
/// </summary>
public static class ReconcileScenario
{
    private const int Users = 10_000;
    private const long GrantMinor = 1_000_000;

    public static async Task<int> RunAsync(string[] args)
    {
        var entries = args.Length > 0 ? long.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var runs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        await using var cluster = await BenchCluster.StartAsync("reconcile");
        var owner = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("NEXCHANGE__ConnectionStrings__PostgresOwner")!)
        {
            Database = new NpgsqlConnectionStringBuilder(cluster.Postgres).Database,
            CommandTimeout = 600,
        }.ConnectionString;
        var seeding = Stopwatch.StartNew();
        await SeedAsync(owner, Math.Max(entries / 2, Users));
        Console.WriteLine($"seeded {entries} entries in {seeding.Elapsed.TotalSeconds:F1} s; {runs} runs each, {Environment.ProcessorCount} cores");

        var reconciliation = new LedgerReconciliation(cluster.DataSource, TimeProvider.System);
        var scan = new Latencies();
        var reconcile = new Latencies();
        var allOk = true;
        long checkedEntries = 0;
        var scanTime = TimeSpan.Zero;
        var reconcileTime = TimeSpan.Zero;
        for (var run = 0; run < runs; run++)
        {
            var started = Stopwatch.GetTimestamp();
            await using (var command = cluster.DataSource.CreateCommand("select count(*) from (select account_id, sum(amount) from ledger.entries group by account_id) s"))
                await command.ExecuteScalarAsync();
            scan.Add(started);
            scanTime += Stopwatch.GetElapsedTime(started);

            started = Stopwatch.GetTimestamp();
            var report = await reconciliation.RunAsync();
            reconcile.Add(started);
            reconcileTime += Stopwatch.GetElapsedTime(started);
            allOk &= report.Ok;
            checkedEntries = report.EntriesChecked;
        }
        Report.Print("reconcile", new { entries = checkedEntries, runs },
            [new Comparison(scan.Summarize("baseline: one scan summing entries per account", scanTime),
                reconcile.Summarize("reconciliation (SPEC.md 2.9)", reconcileTime))],
            new { reconciliationOk = allOk });
        if (!allOk) await Console.Error.WriteLineAsync("FAILED: the seeded ledger does not reconcile");
        return allOk ? 0 : 1;
    }

    /// <summary>
    /// <paramref name="transactions"/> transactions of two entries each. The triggers are switched off and on again in
    /// the same database transaction, so no other session ever writes to a ledger without them.
    /// </summary>
    private static async Task SeedAsync(string owner, long transactions)
    {
        await using var connection = new NpgsqlConnection(owner);
        await connection.OpenAsync();
        await using var seed = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand(string.Create(CultureInfo.InvariantCulture, $"""
            alter table ledger.entries disable trigger user;
            alter table ledger.accounts disable trigger user;
            alter table ledger.transactions disable trigger user;
            create temp table bench_users on commit drop as select g as n, gen_random_uuid() as account from generate_series(0, {Users - 1}) g;
            insert into ledger.accounts (id, kind, owner_id) select account, 'USER_AVAILABLE', gen_random_uuid() from bench_users;
            create temp table bench_tx on commit drop as select g::bigint as n, gen_random_uuid() as id from generate_series(0, {transactions - 1}) g;
            insert into ledger.transactions (id, idempotency_key, request_hash, kind, created_at, written_by)
            select id, 'bench:' || n, 'bench', case when n < {Users} then 'admin_grant' else 'transfer' end, now(), pg_current_xact_id() from bench_tx;
            -- Grant n: an issuance shard -G, user n +G. Transfer n: user a -1, user a+1 +1 (a spread by a prime).
            insert into ledger.entries (id, transaction_id, account_id, amount, balance_after, created_at)
            select id, tx, account, amount, sum(amount) over (partition by account order by id), now()
            from (
                select t.n * 2 as id, t.id as tx, coalesce(s.id, u.account) as account, case when t.n < {Users} then -{GrantMinor} else -1 end as amount
                from bench_tx t
                left join ledger.accounts s on t.n < {Users} and s.owner_id is null and s.kind = 'ISSUANCE' and s.shard = t.n % 16
                left join bench_users u on t.n >= {Users} and u.n = (t.n * 7919) % {Users}
                union all
                select t.n * 2 + 1, t.id, u.account, case when t.n < {Users} then {GrantMinor} else 1 end
                from bench_tx t
                join bench_users u on u.n = case when t.n < {Users} then t.n else ((t.n * 7919) % {Users} + 1) % {Users} end
            ) legs;
            update ledger.accounts a set balance = s.total
            from (select account_id, sum(amount) as total from ledger.entries group by account_id) s where a.id = s.account_id;
            select setval(pg_get_serial_sequence('ledger.entries', 'id'), (select max(id) from ledger.entries));
            alter table ledger.entries enable trigger user;
            alter table ledger.accounts enable trigger user;
            alter table ledger.transactions enable trigger user;
            """), connection, seed);
        await command.ExecuteNonQueryAsync();
        await seed.CommitAsync();
        await using var analyze = new NpgsqlCommand("analyze ledger.entries, ledger.transactions, ledger.accounts", connection);
        await analyze.ExecuteNonQueryAsync();
    }
}
