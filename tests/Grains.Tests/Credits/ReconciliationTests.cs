using NeXChange.Credits;

namespace NeXChange.Grains.Tests.Credits;

public class ReconciliationTests(CreditsCluster cluster) : IClassFixture<CreditsCluster>
{
    [Fact]
    public async Task reconciliation_is_ok_for_a_healthy_ledger_and_reports_a_corrupted_balance()
    {
        var buyer = await cluster.FundedUserAsync(20_000);
        var seller = await cluster.NewUserAsync();
        await cluster.Account(buyer).PlaceHold(Guid.CreateVersion7(), 5_000, 387);
        var released = Guid.CreateVersion7();
        await cluster.Account(buyer).PlaceHold(released, 1_000, 237);
        await cluster.Account(buyer).ReleaseHold(released, seller);
        var audit = cluster.Grains.GetGrain<ILedgerAuditGrain>(0);

        var healthy = await audit.Reconcile();

        Assert.True(healthy.Ok);
        Assert.Equal((0L, 20_000L, 387L + 237, 5_000L, 5_000L, 4L), (healthy.SumOfBalancesMinor, healthy.CirculatingMinor, healthy.FeesMinor,
            healthy.OpenHoldsMinor, healthy.EscrowBalancesMinor, healthy.TransactionsChecked));

        // Bypass the guard as the schema owner would have to, to simulate corruption the application cannot cause.
        await cluster.ScalarAsync<object>("""
            alter table ledger.accounts disable trigger accounts_guard;
            update ledger.accounts set balance = balance + 1 where owner_id = $1 and kind = 'USER_ESCROW';
            alter table ledger.accounts enable trigger accounts_guard;
            """.Replace("$1", $"'{buyer}'", StringComparison.Ordinal));

        var corrupted = await audit.Reconcile();

        Assert.False(corrupted.Ok);
        Assert.Equal(1, corrupted.SumOfBalancesMinor);
        var drift = Assert.Single(corrupted.Drifts);
        Assert.Equal((buyer, 5_001L, 5_000L), (drift.OwnerId!.Value, drift.StoredMinor, drift.RecomputedMinor));
        Assert.Equal(buyer, Assert.Single(corrupted.HoldMismatches).UserId);
    }
}
