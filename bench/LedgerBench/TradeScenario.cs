using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NeXChange.Credits;
using NeXChange.Hosting;
using NeXChange.Items;
using NeXChange.Trading;
using Npgsql;

namespace NeXChange.Bench;

/// <summary>
/// Complete trade lifecycles per second (issue 12): offer, accept, both pick the place, time proposed and accepted
/// (the escrow hold), then, after one dev-clock move to the meetup, both handoffs (the release); a lifecycle's latency
/// is the time of its 8 commands. Baseline in the same run: the same money alone, a hold and a release per pair
/// straight on the buyers' CreditAccountGrains. A command that fails counts as an error of its lifecycle and ends it.
/// Usage (through bench/run.sh trades): [pairs=500] [concurrency=32]
/// </summary>
public static class TradeScenario
{
    private const long Price = 1_000;

    public static async Task<int> RunAsync(string[] args)
    {
        var pairs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500;
        var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 32;
        await using var cluster = await BenchCluster.StartAsync("trades", extra: _ => new Dictionary<string, string?> { ["Dev:Endpoints"] = "true" });
        var grains = cluster.Grains;
        var clock = cluster.Silo.Services.GetRequiredService<DevClock>();

        var users = await Seed.UsersAsync(cluster.DataSource, 2 * pairs);
        var (buyers, sellers) = (users[..pairs], users[pairs..]);
        var category = (await grains.GetGrain<ICategoryCatalogGrain>(0).List())[0].Id;
        var items = await ItemsAsync(cluster.DataSource, sellers, category);
        await Seed.FundAsync(grains, buyers, 100_000);
        Console.WriteLine($"{pairs} buyer/seller pairs, {concurrency} concurrent callers, {Environment.ProcessorCount} cores");

        // Baseline: the money of each lifecycle alone (escrow_hold then escrow_release), no trade machinery.
        var fee = cluster.Silo.Services.GetRequiredService<IFeePolicy>().FeeFor(Price);
        var (baselinePair, baselineHold, baselineRelease) = (new Latencies(), new Latencies(), new Latencies());
        var baseline = await Timed(pairs, concurrency, baselinePair, async (i, _) =>
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
        var toEscrowTicks = new long[pairs];
        var (lifecycle, hold, release) = (new Latencies(), new Latencies(), new Latencies());
        var toEscrow = await Timed(pairs, concurrency, null, async (i, started) =>
        {
            var (buyer, seller) = (new TradeCaller(buyers[i], false), new TradeCaller(sellers[i], false));
            var trade = grains.GetGrain<ITradeGrain>(trades[i] = Guid.CreateVersion7());
            try
            {
                await trade.Offer(new OfferRequest(buyers[i], items[i], Price));
                await trade.Accept(seller);
                await trade.PickLocation(buyer, new LocationChoice(LocationChoice.Custom, null, 40.751, -73.995, true, true));
                await trade.PickLocation(seller, new LocationChoice(LocationChoice.AcceptPartner, null, null, null, true, true));
                var now = clock.GetUtcNow();
                var meetup = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(17);
                await trade.ProposeTime(seller, meetup);
                var holding = Stopwatch.GetTimestamp();
                var scheduled = await trade.AcceptTime(buyer, meetup);
                hold.Add(holding);
                if (scheduled.Status != TradeStatuses.Scheduled) throw new InvalidOperationException($"trade {scheduled.Id} is {scheduled.Status}");
                toEscrowTicks[i] = Stopwatch.GetTimestamp() - started;
            }
            catch (Exception e)
            {
                trades[i] = Guid.Empty;
                lifecycle.AddError(e);
            }
        });
        clock.Advance(TimeSpan.FromMinutes(20));
        var toCompletion = await Timed(pairs, concurrency, null, async (i, started) =>
        {
            if (trades[i] == Guid.Empty) return;
            var trade = grains.GetGrain<ITradeGrain>(trades[i]);
            try
            {
                await trade.Handoff(new TradeCaller(buyers[i], false));
                var releasing = Stopwatch.GetTimestamp();
                var completed = await trade.Handoff(new TradeCaller(sellers[i], false));
                release.Add(releasing);
                if (completed.Status != TradeStatuses.Completed) throw new InvalidOperationException($"trade {completed.Id} is {completed.Status}");
                lifecycle.AddTicks(toEscrowTicks[i] + Stopwatch.GetTimestamp() - started);
            }
            catch (Exception e)
            {
                lifecycle.AddError(e);
            }
        });

        var report = await cluster.ReconcileAsync();
        var trading = toEscrow + toCompletion;
        Report.Print("trades", new { pairs, concurrency }, [
            new(baselinePair.Summarize("baseline: hold + release on ledger grains", baseline), lifecycle.Summarize("trade lifecycle (8 commands)", trading)),
            new(baselineHold.Summarize("baseline: hold (PlaceHold)", baseline), hold.Summarize("hold (AcceptTime)", toEscrow)),
            new(baselineRelease.Summarize("baseline: release (ReleaseHold)", baseline), release.Summarize("release (second Handoff)", toCompletion)),
        ], new { reconciliationOk = report.Ok });
        return report.Ok ? 0 : 1;
    }

    /// <summary>
    /// Runs <paramref name="step"/> once for each pair index, <paramref name="concurrency"/> at a time, given the index and
    /// its start timestamp; when <paramref name="timed"/> is given, each step's time (or its failure) goes there.
    /// </summary>
    private static Task<TimeSpan> Timed(int count, int concurrency, Latencies? timed, Func<int, long, Task> step)
    {
        var next = -1;
        return Load.CountAsync(concurrency, count, async (_, _) =>
        {
            var i = Interlocked.Increment(ref next);
            var started = Stopwatch.GetTimestamp();
            try
            {
                await step(i, started);
                timed?.Add(started);
            }
            catch (Exception e) when (timed is not null)
            {
                timed.AddError(e);
            }
        });
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
