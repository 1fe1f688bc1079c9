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

        await CorruptAsync($"owner_id = '{buyer}' and kind = 'USER_ESCROW'");
        var alarmsBefore = await cluster.ScalarAsync<long>("select count(*) from audit_log where action = 'LEDGER_DRIFT' and data->>'via' = 'api'");

        var corrupted = await audit.Reconcile();

        Assert.False(corrupted.Ok);
        Assert.Equal(1, corrupted.SumOfBalancesMinor);
        var drift = Assert.Single(corrupted.Drifts);
        Assert.Equal((buyer, 5_001L, 5_000L), (drift.OwnerId!.Value, drift.StoredMinor, drift.RecomputedMinor));
        Assert.Equal(buyer, Assert.Single(corrupted.HoldMismatches).UserId);
        // Found on request, not only by the daily run: the alarm is raised all the same.
        Assert.Equal(alarmsBefore + 1, await cluster.ScalarAsync<long>("select count(*) from audit_log where action = 'LEDGER_DRIFT' and data->>'via' = 'api'"));
        await RepairAsync($"owner_id = '{buyer}' and kind = 'USER_ESCROW'");
    }

    private Task CorruptAsync(string where) => cluster.ShiftBalanceAsOwnerAsync(where, +1);

    private Task RepairAsync(string where) => cluster.ShiftBalanceAsOwnerAsync(where, -1);
}
