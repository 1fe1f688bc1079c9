using NeXChange.Credits;
using NeXChange.Errors;
using NeXChange.TestSupport;

namespace NeXChange.Grains.Tests.Credits;

/// <summary>
/// Many writers on the same accounts straight through the ledger writer, with no grain in front to queue them: the
/// races a failover (two activations) or a lost acknowledgement (a retry) can produce.
/// </summary>
public class ConcurrentWriterTests(LedgerDatabase db) : IClassFixture<LedgerDatabase>
{
    private async Task<IReadOnlyList<Exception?>> RaceAsync(int count, Func<int, Task> post)
    {
        using var start = new SemaphoreSlim(0);
        var racers = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            await start.WaitAsync();
            try
            {
                await post(i);
                return (Exception?)null;
            }
            catch (Exception e)
            {
                return e;
            }
        })).ToList();
        start.Release(count);
        return await Task.WhenAll(racers);
    }

    [Fact]
    public async Task the_daily_outflow_count_holds_for_writers_racing_past_the_grain()
    {
        var sender = await db.UserAsync(100_000);
        var recipient = await db.UserAsync();

        var outcomes = await RaceAsync(30, i => db.Writer.PostAsync(Movements.Transfer(sender, new TransferOrder(recipient, 10, null, $"count-{i}"))));

        Assert.Equal(LedgerDatabase.DailyOutflowCount, outcomes.Count(o => o is null));
        Assert.All(outcomes.OfType<DomainException>(), e => Assert.Equal(("daily_outflow_count", 0), (e.Extensions["limit"], e.Extensions["remainingCount"])));
        Assert.Equal(30 - LedgerDatabase.DailyOutflowCount, outcomes.OfType<DomainException>().Count());
        Assert.Equal(100_000 - 10 * LedgerDatabase.DailyOutflowCount, await db.BalanceAsync(sender));
    }

    [Fact]
    public async Task the_daily_outflow_amount_holds_for_writers_racing_past_the_grain()
    {
        var sender = await db.UserAsync(100_000);
        var recipient = await db.UserAsync();

        var outcomes = await RaceAsync(20, i => db.Writer.PostAsync(Movements.Transfer(sender, new TransferOrder(recipient, 300, null, $"amount-{i}"))));

        Assert.Equal(3, outcomes.Count(o => o is null)); // 3 × 300 ≤ 1 000 < 4 × 300
        var refusals = outcomes.OfType<DomainException>().ToList();
        Assert.Equal(17, refusals.Count);
        Assert.All(refusals, e => Assert.Equal(("daily_outflow_amount", LedgerDatabase.DailyOutflowMinor, 100L),
            (e.Extensions["limit"], e.Extensions["limitMinor"], e.Extensions["remainingMinor"])));
        Assert.Equal(900, await db.BalanceAsync(recipient));
    }

    [Fact]
    public async Task refunds_do_not_give_back_daily_allowance_and_a_new_utc_day_starts_afresh()
    {
        var buyer = await db.UserAsync(100_000);
        var recipient = await db.UserAsync();
        var trade = Guid.CreateVersion7();
        await db.Writer.PostAsync(Movements.Hold(buyer, trade, 700, 225)); // P + fee(700) = 925 of outflow
        await db.Writer.PostAsync(Movements.Refund(new HoldRecord(trade, buyer, 700, 225, HoldStatuses.Open)));

        var refusal = await Assert.ThrowsAsync<DomainException>(() =>
            db.Writer.PostAsync(Movements.Transfer(buyer, new TransferOrder(recipient, 100, null, "after-refund"))));
        Assert.Equal(("daily_outflow_amount", 75L), (refusal.Extensions["limit"], refusal.Extensions["remainingMinor"]));

        await db.WriterAt(db.Time.GetUtcNow().AddDays(1)).PostAsync(Movements.Transfer(buyer, new TransferOrder(recipient, 1_000, null, "next-day")));
        Assert.Equal(1_000, await db.BalanceAsync(recipient));
    }

    [Fact]
    public async Task concurrent_writers_and_duplicate_keys_on_shared_accounts_keep_every_invariant()
    {
        var users = new List<Guid>();
        for (var i = 0; i < 4; i++) users.Add(await db.UserAsync(500));
        var random = new Random(7);
        // Small amounts in every direction, each key posted by two racers at once, some overdrawing.
        var orders = Enumerable.Range(0, 40).Select(i =>
        {
            var from = users[random.Next(users.Count)];
            var to = users.Where(u => u != from).ElementAt(random.Next(users.Count - 1));
            return (From: from, Order: new TransferOrder(to, random.Next(1, 200), null, $"mesh-{i}"));
        }).ToList();
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<(string Key, Guid TransactionId)>();

        var outcomes = await RaceAsync(orders.Count * 2, async i =>
        {
            var (from, order) = orders[i / 2];
            var result = await db.Writer.PostAsync(Movements.Transfer(from, order));
            acknowledged.Add((order.IdempotencyKey, result.TransactionId));
        });

        Assert.All(outcomes.Where(o => o is not null), e => Assert.Contains(((DomainException)e!).Code, new[] { ErrorCodes.InsufficientFunds, ErrorCodes.LimitExceeded }));
        foreach (var group in acknowledged.GroupBy(a => a.Key))
        {
            Assert.Single(group.Select(a => a.TransactionId).Distinct()); // a duplicate replays, never posts again
            Assert.Equal(1L, await Sql.ScalarAsync<long>(db.Postgres,
                "select count(*) from ledger.transactions where idempotency_key like '%:' || $1", group.Key));
        }
        Assert.Equal(acknowledged.Select(a => a.Key).Distinct().Count(), (int)(await Sql.ScalarAsync<long>(db.Postgres,
            "select count(*) from ledger.transactions where kind = 'transfer' and idempotency_key like '%:mesh-%'")));
        var report = await db.ReconcileAsync();
        Assert.True(report.Ok, $"drifts {report.Drifts.Count}, negative {report.NegativeAccounts.Count}, sum {report.SumOfBalancesMinor}");
        Assert.Equal(4 * 500L, await Sql.ScalarAsync<long>(db.Postgres,
            "select sum(balance)::bigint from ledger.accounts where owner_id = any($1) and kind = 'USER_AVAILABLE'", users.ToArray()));
    }
}
