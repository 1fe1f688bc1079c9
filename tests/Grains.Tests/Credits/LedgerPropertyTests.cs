using System.Collections.Concurrent;
using System.Globalization;
using NeXChange.Credits;
using NeXChange.Errors;
using Xunit.Abstractions;

namespace NeXChange.Grains.Tests.Credits;

/// <summary>
/// Thousands of random grants, transfers, holds and closings across 20 users, run in concurrent batches that include
/// duplicates of one idempotency key and bursts of debits on one account. Afterwards every ledger invariant must hold
/// and the ledger must contain exactly the acknowledged operations. Set LEDGER_PROPERTY_SEED to replay a seed.
/// </summary>
public class LedgerPropertyTests(CreditsCluster cluster, ITestOutputHelper output) : IClassFixture<CreditsCluster>
{
    private const int Users = 20;
    private const int Rounds = 100;
    private const int OperationsPerRound = 40;

    private static readonly string[] ExpectedRefusals = [ErrorCodes.InsufficientFunds, ErrorCodes.LimitExceeded, ErrorCodes.InvalidTransition];

    private sealed record Operation(string Key, Func<Task<Posted>> Run, Guid? TradeId = null, string? ClosesAs = null);

    private sealed record Outcome(Operation Operation, Guid? TransactionId, string? RefusalCode);

    private sealed record Trade(Guid Id, Guid Buyer, Guid Seller, long Price, long Fee, long SplitRefund);

    [Fact]
    public async Task random_concurrent_operations_keep_every_ledger_invariant()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("LEDGER_PROPERTY_SEED"), CultureInfo.InvariantCulture, out var s) ? s : Random.Shared.Next();
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var fees = new DefaultFeePolicy();
        var admin = Guid.CreateVersion7();
        var users = new List<Guid>();
        for (var i = 0; i < Users; i++) users.Add(await cluster.NewUserAsync());
        Guid AnyUser() => users[random.Next(users.Count)];
        Guid OtherThan(Guid user) => users.Where(u => u != user).ElementAt(random.Next(users.Count - 1));

        var outcomes = new ConcurrentBag<Outcome>();
        var trades = new List<Trade>();
        var closes = new Dictionary<Guid, string>();
        var serial = 0;

        Operation Grant(Guid user, long amount)
        {
            var key = $"g{serial++}";
            return new($"grant:admin:{admin}:{key}", () => cluster.Account(user).GrantByAdmin(new AdminGrant(admin, key, amount, "property")));
        }
        Operation Transfer(Guid sender, long amount)
        {
            var order = new TransferOrder(OtherThan(sender), amount, random.Next(4) == 0 ? "memo" : null, $"t{serial++}");
            return new($"transfer:{sender}:{order.IdempotencyKey}", () => cluster.Account(sender).Transfer(order));
        }

        foreach (var user in users) outcomes.Add(await RunAsync(Grant(user, random.Next(5_000, 30_000))));

        for (var round = 0; round < Rounds; round++)
        {
            var batch = new List<Operation>();
            var earlierTrades = trades.Count;
            while (batch.Count < OperationsPerRound)
            {
                var dice = random.Next(100);
                if (dice < 10) batch.Add(Grant(AnyUser(), random.Next(1, 5_000)));
                else if (dice < 45) batch.Add(Transfer(AnyUser(), random.Next(1, 4_000)));
                else if (dice < 65)
                {
                    var buyer = AnyUser();
                    var price = random.Next(100, 8_000);
                    var trade = new Trade(Guid.CreateVersion7(), buyer, OtherThan(buyer), price, fees.FeeFor(price),
                        random.Next(1, price));
                    trades.Add(trade);
                    batch.Add(new($"trade:{trade.Id}:hold", () => cluster.Account(buyer).PlaceHold(trade.Id, trade.Price, trade.Fee)));
                }
                else if (dice < 88 && earlierTrades > 0)
                {
                    // A trade of an earlier round, held or not, open or closed: a missing or closed hold must be refused.
                    var trade = trades[random.Next(earlierTrades)];
                    var account = cluster.Account(trade.Buyer);
                    batch.Add(random.Next(3) switch
                    {
                        0 => new($"trade:{trade.Id}:release", () => account.ReleaseHold(trade.Id, trade.Seller), trade.Id, HoldStatuses.Released),
                        1 => new($"trade:{trade.Id}:refund", () => account.RefundHold(trade.Id), trade.Id, HoldStatuses.Refunded),
                        _ => new($"trade:{trade.Id}:split", () => account.SplitHold(trade.Id, trade.Seller, trade.SplitRefund), trade.Id, HoldStatuses.Split),
                    });
                }
                else if (dice < 94 && batch.Count > 0)
                {
                    // The same request twice at once: one posting, one replay.
                    batch.Add(batch[random.Next(batch.Count)]);
                }
                else
                {
                    // Many callers debiting one account at once.
                    var sender = AnyUser();
                    for (var i = 0; i < 8; i++) batch.Add(Transfer(sender, random.Next(500, 3_000)));
                }
            }
            var results = await Task.WhenAll(batch.Select(RunAsync));
            foreach (var result in results) outcomes.Add(result);
            foreach (var result in results.Where(r => r.TransactionId.HasValue && r.Operation.ClosesAs is not null))
                closes[result.Operation.TradeId!.Value] = result.Operation.ClosesAs!;
        }

        var heldKeys = outcomes.Where(o => o.TransactionId.HasValue).Select(o => o.Operation.Key).ToHashSet();
        var unexpected = outcomes.Where(o => o.RefusalCode is not null && !ExpectedRefusals.Contains(o.RefusalCode)
            && !(o.RefusalCode == ErrorCodes.NotFound && o.Operation.TradeId is { } trade && !heldKeys.Contains($"trade:{trade}:hold"))).ToList();
        Assert.True(unexpected.Count == 0, $"seed {seed}: unexpected refusals {string.Join(", ", unexpected.Select(o => o.RefusalCode).Distinct())}");
        var byKey = outcomes.GroupBy(o => o.Operation.Key).ToList();
        var acknowledged = byKey.Where(g => g.Any(o => o.TransactionId.HasValue)).ToDictionary(g => g.Key, g => g.Where(o => o.TransactionId.HasValue).Select(o => o.TransactionId!.Value).Distinct().ToList());
        var refusedOnly = byKey.Where(g => g.All(o => o.RefusalCode is not null)).Select(g => g.Key).ToArray();
        output.WriteLine($"{outcomes.Count} attempts, {acknowledged.Count} acknowledged keys, {refusedOnly.Length} refused keys");
        Assert.True(acknowledged.Count > 500 && refusedOnly.Length > 10, $"seed {seed}: the run exercised too little");
        Assert.All(acknowledged, a => Assert.Single(a.Value));

        // Every acknowledged key exactly once with the acknowledged id, nothing else in the ledger.
        var stored = await ReadAsync("select idempotency_key, id::text from ledger.transactions");
        Assert.Equal(acknowledged.Count, stored.Count);
        Assert.All(stored, row => Assert.Equal(acknowledged[row[0]].Single(), Guid.Parse(row[1])));
        var storedKeys = stored.Select(row => row[0]).ToHashSet();
        Assert.All(refusedOnly, key => Assert.DoesNotContain(key, storedKeys));

        Assert.Equal(0, await cluster.ScalarAsync<long>("select sum(balance)::bigint from ledger.accounts"));
        Assert.Equal(0, await cluster.ScalarAsync<long>("select count(*) from ledger.accounts where kind <> 'ISSUANCE' and balance < 0"));
        Assert.Equal(0, await cluster.ScalarAsync<long>("""
            select count(*) from ledger.accounts a
            where a.balance <> coalesce((select sum(amount) from ledger.entries e where e.account_id = a.id), 0)
            """));
        Assert.Equal(0, await cluster.ScalarAsync<long>("""
            select count(*) from ledger.accounts a
            where a.kind = 'USER_ESCROW'
              and a.balance <> coalesce((select sum(amount) from ledger.holds h where h.account_id = a.id and h.status = 'open'), 0)
            """));
        Assert.Equal(await cluster.ScalarAsync<long>("select coalesce(sum(fee), 0)::bigint from ledger.holds where status in ('open', 'released', 'split')"),
            await cluster.FeesAsync());
        foreach (var trade in trades.Where(t => acknowledged.ContainsKey($"trade:{t.Id}:hold")))
            Assert.Equal(closes.GetValueOrDefault(trade.Id, HoldStatuses.Open), await cluster.HoldStatusAsync(trade.Id));

        var report = await cluster.Grains.GetGrain<ILedgerAuditGrain>(0).Reconcile();
        Assert.True(report.Ok, $"seed {seed}: reconciliation failed");
        Assert.Equal(acknowledged.Count, report.TransactionsChecked);
    }

    private static async Task<Outcome> RunAsync(Operation operation)
    {
        try
        {
            return new Outcome(operation, (await operation.Run()).TransactionId, null);
        }
        catch (DomainException e)
        {
            return new Outcome(operation, null, e.Code);
        }
    }

    private async Task<List<string[]>> ReadAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(cluster.Postgres);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string[]>();
        while (await reader.ReadAsync()) rows.Add([reader.GetString(0), reader.GetString(1)]);
        return rows;
    }
}
