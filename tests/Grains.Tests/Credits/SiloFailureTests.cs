using System.Collections.Concurrent;
using NeXChange.Credits;
using NeXChange.Errors;

namespace NeXChange.Grains.Tests.Credits;

/// <summary>A cluster of its own: this test kills one of its silos.</summary>
public sealed class FailingSiloCluster : CreditsCluster;

/// <summary>
/// A silo crashes while transfers run. Clients retry whatever did not answer with the same idempotency key, as
/// SPEC.md 2.7 tells them to; afterwards every acknowledged transfer is in the ledger exactly once, every refused
/// one is absent, and the ledger still balances.
/// </summary>
public sealed class SiloFailureTests(FailingSiloCluster cluster) : IClassFixture<FailingSiloCluster>
{
    private sealed record Order(Guid From, Guid To, long Amount, string Key);

    [Fact]
    public async Task transfers_retried_across_a_silo_crash_land_exactly_once()
    {
        var users = new List<Guid>();
        for (var i = 0; i < 12; i++) users.Add(await cluster.FundedUserAsync(50_000));
        var random = new Random(20261126);
        // More orders than needed: transfers keep starting until the silo is dead (so some are in flight on it while it
        // dies, however fast transfers have become), then stop once 300 have started.
        var orders = Enumerable.Range(0, 5_000).Select(_ =>
        {
            var from = users[random.Next(users.Count)];
            var to = users.Where(u => u != from).ElementAt(random.Next(users.Count - 1));
            return new Order(from, to, random.Next(1, 20_000), Guid.NewGuid().ToString());
        }).ToList();

        var acknowledged = new ConcurrentDictionary<string, Guid>();
        var refused = new ConcurrentBag<string>();
        var attempted = new ConcurrentBag<string>();
        var started = 0;
        var retries = 0;
        var killed = Task.CompletedTask;

        async Task Run(Order order)
        {
            if (Volatile.Read(ref started) >= 300 && killed.IsCompleted) return;
            if (Interlocked.Increment(ref started) == 100) killed = cluster.KillSiloAsync(1);
            attempted.Add(order.Key);
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    var posted = await cluster.Account(order.From).Transfer(new TransferOrder(order.To, order.Amount, null, order.Key));
                    acknowledged[order.Key] = posted.TransactionId;
                    return;
                }
                catch (DomainException e) when (e.Code is ErrorCodes.InsufficientFunds or ErrorCodes.LimitExceeded)
                {
                    refused.Add(order.Key);
                    return;
                }
                catch (Exception) when (attempt < 120)
                {
                    // No answer (the silo died under the call): the outcome is unknown, so retry with the same key.
                    Interlocked.Increment(ref retries);
                    await Task.Delay(500);
                }
            }
        }

        await Parallel.ForEachAsync(orders, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (order, _) => await Run(order));
        await killed;

        Assert.True(retries > 0, "the crash should have left some calls without an answer");
        Assert.Equal(attempted.Count, acknowledged.Count + refused.Count);
        foreach (var (key, transactionId) in acknowledged)
        {
            Assert.Equal(1L, await cluster.TransactionCountAsync($"transfer:{Sender(orders, key)}:{key}"));
            Assert.Equal(transactionId, await cluster.ScalarAsync<Guid>("select id from ledger.transactions where idempotency_key = $1", $"transfer:{Sender(orders, key)}:{key}"));
        }
        foreach (var key in refused)
            Assert.Equal(0L, await cluster.TransactionCountAsync($"transfer:{Sender(orders, key)}:{key}"));
        var report = await cluster.Grains.GetGrain<ILedgerAuditGrain>(0).Reconcile();
        Assert.True(report.Ok, "reconciliation after the crash");
        Assert.Equal(0, report.SumOfBalancesMinor);
    }

    private static Guid Sender(IEnumerable<Order> orders, string key) => orders.First(o => o.Key == key).From;
}
