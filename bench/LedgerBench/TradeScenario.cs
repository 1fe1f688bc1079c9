using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NeXChange.Credits;
using NeXChange.Hosting;
using NeXChange.Items;
using NeXChange.Silo.Hosting;
using NeXChange.Trading;
using Npgsql;

namespace NeXChange.Bench;

/// <summary>
/// Complete trade lifecycles per second (issue 12): offer, accept, both pick the place, time proposed and accepted
/// (the escrow hold), then, after one dev-clock move to the meetup, both handoffs (the release). Baseline in the same
/// run: the same money alone, a hold and a release per pair straight on the buyers' CreditAccountGrains.
/// Usage (through bench/run.sh trades): [pairs=500] [concurrency=32]
/// </summary>
public static class TradeScenario
{
    private const long Price = 1_000;

    public static async Task<int> RunAsync(string[] args)
    {
        var pairs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
        var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 32;
        var redis = Environment.GetEnvironmentVariable("NEXCHANGE__ConnectionStrings__Redis") ?? throw new InvalidOperationException("run through bench/run.sh");
        var settings = new Dictionary<string, string?>
        {
            ["Limits:DailyOutflowCount"] = "1000000",
            ["Limits:DailyOutflowMinor"] = "1000000000000",
        };
        var postgres = await BenchDatabase.CreateAsync($"bench_trades_{DateTime.UtcNow:yyyyMMddHHmmss}", settings, maxPoolSize: 100);
        using var silo = SiloHost.Build(["--environment", "Bench"], b => b.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings)
        {
            ["ConnectionStrings:Postgres"] = postgres,
            ["ConnectionStrings:Redis"] = redis,
            ["Orleans:ClusterId"] = $"bench-{Guid.NewGuid():N}",
            ["Orleans:SiloPort"] = "11312",
            ["Orleans:GatewayPort"] = "30312",
            ["Dev:Endpoints"] = "true",
            ["Logging:LogLevel:Default"] = "Warning",
        }));
        await silo.StartAsync();
        var grains = silo.Services.GetRequiredService<IGrainFactory>();
        var clock = silo.Services.GetRequiredService<DevClock>();
        var dataSource = silo.Services.GetRequiredService<NpgsqlDataSource>();

        var users = await Seed.UsersAsync(dataSource, 2 * pairs);
        var (buyers, sellers) = (users[..pairs], users[pairs..]);
        var category = (await grains.GetGrain<ICategoryCatalogGrain>(0).List())[0].Id;
        var items = await ItemsAsync(dataSource, sellers, category);
        var admin = Guid.CreateVersion7();
        await Parallel.ForEachAsync(buyers, async (id, _) =>
            await grains.GetGrain<ICreditAccountGrain>(id).GrantByAdmin(new AdminGrant(admin, $"bench-fund-{id}", 100_000, "benchmark funding")));
        Console.WriteLine($"{pairs} buyer/seller pairs, {concurrency} concurrent callers, {Environment.ProcessorCount} cores");

        // Baseline: the money of each lifecycle alone (escrow_hold then escrow_release), no trade machinery.
        var fee = silo.Services.GetRequiredService<IFeePolicy>().FeeFor(Price);
        var baselineHold = new Latencies();
        var baselineRelease = new Latencies();
        var baseline = await Timed(pairs, concurrency, async i =>
        {
            var trade = Guid.CreateVersion7();
            var started = Stopwatch.GetTimestamp();
            await grains.GetGrain<ICreditAccountGrain>(buyers[i]).PlaceHold(trade, Price, fee);
            baselineHold.Add(started);
            started = Stopwatch.GetTimestamp();
            await grains.GetGrain<ICreditAccountGrain>(buyers[i]).ReleaseHold(trade, sellers[i]);
            baselineRelease.Add(started);
        });

        var trades = new Guid[pairs];
        var hold = new Latencies();
        var release = new Latencies();
        var toEscrow = await Timed(pairs, concurrency, async i =>
        {
            var (buyer, seller) = (new TradeCaller(buyers[i], false), new TradeCaller(sellers[i], false));
            var trade = grains.GetGrain<ITradeGrain>(trades[i] = Guid.CreateVersion7());
            await trade.Offer(new OfferRequest(buyers[i], items[i], Price));
            await trade.Accept(seller);
            await trade.PickLocation(buyer, new LocationChoice(LocationChoice.Custom, null, 40.751, -73.995, true, true));
            await trade.PickLocation(seller, new LocationChoice(LocationChoice.AcceptPartner, null, null, null, true, true));
            var now = clock.GetUtcNow();
            var meetup = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(17);
            await trade.ProposeTime(seller, meetup);
            var started = Stopwatch.GetTimestamp();
            var scheduled = await trade.AcceptTime(buyer, meetup);
            hold.Add(started);
            if (scheduled.Status != TradeStatuses.Scheduled) throw new InvalidOperationException($"trade {scheduled.Id} is {scheduled.Status}");
        });
        clock.Advance(TimeSpan.FromMinutes(20));
        var toCompletion = await Timed(pairs, concurrency, async i =>
        {
            var trade = grains.GetGrain<ITradeGrain>(trades[i]);
            await trade.Handoff(new TradeCaller(buyers[i], false));
            var started = Stopwatch.GetTimestamp();
            var completed = await trade.Handoff(new TradeCaller(sellers[i], false));
            release.Add(started);
            if (completed.Status != TradeStatuses.Completed) throw new InvalidOperationException($"trade {completed.Id} is {completed.Status}");
        });

        var lifecycles = pairs / (toEscrow + toCompletion).TotalSeconds;
        Console.WriteLine(FormattableString.Invariant($"baseline (hold + release on the ledger grains) {pairs / baseline.TotalSeconds,8:F0} pairs/s"));
        Console.WriteLine(baselineHold.Report("  baseline hold", baseline));
        Console.WriteLine(baselineRelease.Report("  baseline release", baseline));
        Console.WriteLine(FormattableString.Invariant($"trade lifecycles (8 commands each)             {lifecycles,8:F0} lifecycles/s"));
        Console.WriteLine(hold.Report("  hold (time/accept)", toEscrow));
        Console.WriteLine(release.Report("  release (second handoff)", toCompletion));
        var report = await grains.GetGrain<ILedgerAuditGrain>(0).Reconcile();
        Console.WriteLine($"reconciliation ok={report.Ok} sum={report.SumOfBalancesMinor} transactions={report.TransactionsChecked} entries={report.EntriesChecked}");
        await silo.StopAsync();
        await BenchDatabase.DropAsync(postgres);
        return report.Ok ? 0 : 1;
    }

    private static async Task<TimeSpan> Timed(int count, int concurrency, Func<int, Task> step)
    {
        var next = -1;
        var stop = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count) await step(i);
        })));
        return stop.Elapsed;
    }

    /// <summary>One active item per seller, written straight into the items table (publishing would process photos).</summary>
    private static async Task<Guid[]> ItemsAsync(NpgsqlDataSource dataSource, Guid[] sellers, Guid category)
    {
        var ids = sellers.Select(_ => Guid.CreateVersion7()).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        for (var i = 0; i < sellers.Length; i++)
        {
            await using var insert = new NpgsqlCommand("""
                insert into items (id, owner_id, status, title, description, category_id, condition, price_minor, general_area, version,
                    created_at, updated_at, published_at, status_changed_at)
                values ($1, $2, 'active', 'Bench bicycle', 'A bicycle listed by the trade benchmark.', $3, 'good', 1000, 'New York area', 1,
                    now(), now(), now(), now())
                """, connection, transaction);
            insert.Parameters.Add(new() { Value = ids[i] });
            insert.Parameters.Add(new() { Value = sellers[i] });
            insert.Parameters.Add(new() { Value = category });
            await insert.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
        return ids;
    }
}
