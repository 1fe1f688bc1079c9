using System.Collections.Concurrent;
using NeXChange.Credits;
using NeXChange.Errors;
using NeXChange.TestSupport;
using Npgsql;

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
    private const int Doomed = 1;

    private sealed record Order(Guid From, Guid To, long Amount, string Key);

    [Fact]
    public async Task transfers_retried_across_a_silo_crash_land_exactly_once()
    {
        var (onDoomed, onSurvivor) = await UsersBySiloAsync(perSilo: 4);
        var random = new Random(20261126);
        // Transfers among the doomed silo's users and, separately, among the survivor's: every posting the doomed silo
        // writes touches only the accounts the test locks below, so a write blocked by that lock is the doomed silo's.
        List<Order> OrdersAmong(List<Guid> users, int count) => Enumerable.Range(0, count).Select(_ =>
        {
            var from = users[random.Next(users.Count)];
            var to = users.Where(u => u != from).ElementAt(random.Next(users.Count - 1));
            return new Order(from, to, random.Next(1, 2_000), Guid.NewGuid().ToString());
        }).ToList();
        var doomedOrders = OrdersAmong(onDoomed, 40);
        var survivorOrders = OrdersAmong(onSurvivor, 80);
        var orders = doomedOrders.Concat(survivorOrders).ToList();

        var acknowledged = new ConcurrentDictionary<string, Guid>();
        var refused = new ConcurrentBag<string>();
        var retries = 0;

        async Task Run(Order order)
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    // A client gives up on an answer after a while (Orleans' own response timeout is 30 s).
                    var posted = await cluster.Account(order.From).Transfer(new TransferOrder(order.To, order.Amount, null, order.Key))
                        .WaitAsync(TimeSpan.FromSeconds(3));
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
                    // No answer in time or the silo died under the call: the outcome is unknown, so retry with the same key.
                    Interlocked.Increment(ref retries);
                    await Task.Delay(500);
                }
            }
        }

        // Hold the doomed users' account rows so the doomed silo's transfers stay in flight, whatever their speed,
        // until that silo is dead; the survivor's transfers run meanwhile.
        await using var locker = new NpgsqlConnection(TestEnvironment.Owner(cluster.Postgres));
        await locker.OpenAsync();
        await using var held = await locker.BeginTransactionAsync();
        await using (var lockRows = new NpgsqlCommand("select 1 from ledger.accounts where owner_id = any($1) for update", locker, held))
        {
            lockRows.Parameters.Add(new NpgsqlParameter { Value = onDoomed.ToArray() });
            await lockRows.ExecuteNonQueryAsync();
        }
        var running = Parallel.ForEachAsync(orders, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (order, _) => await Run(order));
        await using (var blocked = new NpgsqlCommand("select count(*) from pg_stat_activity where $1 = any(pg_blocking_pids(pid))", locker))
        {
            blocked.Parameters.Add(new NpgsqlParameter { Value = locker.ProcessID });
            await Polling.UntilAsync(async () => (long)(await blocked.ExecuteScalarAsync())!, waiting => waiting > 0, "a transfer of the doomed silo waits in the database");
        }
        // The silo stops (messaging down) before its services are disposed; the ledger writer's disposal waits for the
        // blocked write, so the rows are released once the silo is down and before the kill completes.
        var doomed = cluster.Silo(Doomed);
        var killed = cluster.KillSiloAsync(Doomed);
        await Polling.UntilAsync(() => Task.FromResult(doomed.IsActive), active => !active, "the doomed silo stops");
        await held.RollbackAsync();
        await killed;
        await running;

        Assert.True(retries > 0, "the crash should have left some calls without an answer");
        Assert.Equal(orders.Count, acknowledged.Count + refused.Count);
        Assert.Contains(survivorOrders, o => acknowledged.ContainsKey(o.Key));
        Assert.Contains(doomedOrders, o => acknowledged.ContainsKey(o.Key));
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

    /// <summary>Funded users until each silo hosts <paramref name="perSilo"/> of their credit account grains.</summary>
    private async Task<(List<Guid> OnDoomed, List<Guid> OnSurvivor)> UsersBySiloAsync(int perSilo)
    {
        var management = cluster.Grains.GetGrain<IManagementGrain>(0);
        var doomedSilo = cluster.Silo(Doomed).SiloAddress;
        List<Guid> onDoomed = [], onSurvivor = [];
        for (var created = 0; onDoomed.Count < perSilo || onSurvivor.Count < perSilo; created++)
        {
            Assert.True(created < 200, "placement never put enough accounts on both silos");
            var user = await cluster.FundedUserAsync(50_000);
            var host = await management.GetActivationAddress(cluster.Account(user));
            (host == doomedSilo ? onDoomed : onSurvivor).Add(user);
        }
        return (onDoomed.Take(perSilo).ToList(), onSurvivor.Take(perSilo).ToList());
    }

    private static Guid Sender(IEnumerable<Order> orders, string key) => orders.First(o => o.Key == key).From;
}
