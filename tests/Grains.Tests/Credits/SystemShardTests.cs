using NeXChange.Credits;

namespace NeXChange.Grains.Tests.Credits;

/// <summary>
/// System accounts come in shards (migration 0027) so holds, grants and conversions do not all lock one row. The
/// expected shard is computed here in SQL from the subject's UUID bytes, not by the code under test.
/// </summary>
public class SystemShardTests(CreditsCluster cluster) : IClassFixture<CreditsCluster>
{
    private static string ShardOfSql(string uuid) => $"get_byte(uuid_send({uuid}), 15) % 16";

    [Fact]
    public async Task a_hold_books_its_fee_on_its_trades_shard_and_the_refund_takes_it_back_from_there()
    {
        var buyer = await cluster.FundedUserAsync(1_000_000);
        var seller = await cluster.NewUserAsync();
        var trades = Enumerable.Range(0, 32).Select(_ => Guid.CreateVersion7()).ToArray();
        for (var i = 0; i < trades.Length; i++) await cluster.Account(buyer).PlaceHold(trades[i], 1_000, 100 + i);
        for (var i = 0; i < trades.Length; i++)
        {
            if (i % 2 == 0) await cluster.Account(buyer).RefundHold(trades[i]);
            else await cluster.Account(buyer).ReleaseHold(trades[i], seller);
        }

        var feeEntriesOffTheirShard = await cluster.ScalarAsync<long>($"""
            select count(*) from ledger.entries e
            join ledger.accounts a on a.id = e.account_id and a.kind = 'PLATFORM_FEES'
            join ledger.transactions t on t.id = e.transaction_id
            where t.trade_id = any($1) and a.shard <> {ShardOfSql("t.trade_id")}
            """, trades);
        var refundsOnAnotherAccount = await cluster.ScalarAsync<long>("""
            select count(*) from ledger.transactions r
            join ledger.entries re on re.transaction_id = r.id join ledger.accounts ra on ra.id = re.account_id and ra.kind = 'PLATFORM_FEES'
            join ledger.transactions h on h.trade_id = r.trade_id and h.kind = 'escrow_hold'
            join ledger.entries he on he.transaction_id = h.id join ledger.accounts ha on ha.id = he.account_id and ha.kind = 'PLATFORM_FEES'
            where r.kind = 'escrow_refund' and r.trade_id = any($1) and ra.id <> ha.id
            """, trades);
        var shardsUsed = await cluster.ScalarAsync<long>("""
            select count(distinct e.account_id) from ledger.entries e join ledger.transactions t on t.id = e.transaction_id
            join ledger.accounts a on a.id = e.account_id and a.kind = 'PLATFORM_FEES' where t.trade_id = any($1)
            """, trades);
        var keptFees = Enumerable.Range(0, trades.Length).Where(i => i % 2 == 1).Sum(i => 100L + i);

        Assert.Equal(0, feeEntriesOffTheirShard);
        Assert.Equal(0, refundsOnAnotherAccount);
        Assert.True(shardsUsed > 1, $"32 random trades used {shardsUsed} fee shard(s)");
        Assert.Equal(keptFees, await cluster.FeesAsync());
        var report = await cluster.Grains.GetGrain<ILedgerAuditGrain>(0).Reconcile();
        Assert.True(report.Ok, string.Join(", ", report.Drifts.Select(d => d.AccountId)));
        Assert.Equal(keptFees, report.FeesMinor);
    }

    [Fact]
    public async Task grants_book_issuance_on_the_users_shard_and_a_reversal_negates_the_same_account()
    {
        var users = new List<Guid>();
        for (var i = 0; i < 8; i++) users.Add(await cluster.FundedUserAsync(5_000));
        var admin = Guid.CreateVersion7();
        var grant = await cluster.Account(users[0]).GrantByAdmin(new AdminGrant(admin, "to-reverse", 700, "shard test"));

        var reversal = await cluster.Grains.GetGrain<ILedgerReversalGrain>(0).Reverse(
            new ReversalOrder(admin, grant.TransactionId, "shard test", "reverse-1"));

        var grantsOffTheirShard = await cluster.ScalarAsync<long>($"""
            select count(*) from ledger.transactions t
            join ledger.entries ie on ie.transaction_id = t.id join ledger.accounts i on i.id = ie.account_id and i.kind = 'ISSUANCE'
            join ledger.entries ue on ue.transaction_id = t.id join ledger.accounts u on u.id = ue.account_id and u.kind = 'USER_AVAILABLE'
            where t.kind = 'admin_grant' and u.owner_id = any($1) and i.shard <> {ShardOfSql("u.owner_id")}
            """, users.ToArray());
        var reversalOnTheGrantsAccount = await cluster.ScalarAsync<long>("""
            select count(*) from ledger.entries r join ledger.entries g on g.account_id = r.account_id and g.amount = -r.amount
            where r.transaction_id = $1 and g.transaction_id = $2
            """, reversal.TransactionId, grant.TransactionId);

        Assert.Equal(0, grantsOffTheirShard);
        Assert.Equal(2, reversalOnTheGrantsAccount);
        Assert.Equal(5_000, await cluster.BalanceAsync(users[0], "USER_AVAILABLE"));
        Assert.True((await cluster.Grains.GetGrain<ILedgerAuditGrain>(0).Reconcile()).Ok);
    }
}
