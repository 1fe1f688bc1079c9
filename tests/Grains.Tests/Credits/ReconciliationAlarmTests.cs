using NeXChange.Credits;
using NeXChange.TestSupport;

namespace NeXChange.Grains.Tests.Credits;

/// <summary>Reconciliation covers every account kind and L8 (clearing = cash-outs in flight), read from the ledger.</summary>
public class ReconciliationAlarmTests(CreditsCluster cluster) : IClassFixture<CreditsCluster>
{
    [Theory]
    [InlineData("00000000-0000-7000-8000-000000000001")] // ISSUANCE
    [InlineData("00000000-0000-7000-8000-000000000002")] // PLATFORM_FEES
    [InlineData("00000000-0000-7000-8000-000000000003")] // CONVERSION_CLEARING
    public async Task a_corrupted_system_account_is_reported(string account)
    {
        await cluster.FundedUserAsync(1_000);

        await cluster.ShiftBalanceAsOwnerAsync($"id = '{account}'", +1);
        var report = await cluster.Grains.GetGrain<ILedgerAuditGrain>(0).Reconcile();
        await cluster.ShiftBalanceAsOwnerAsync($"id = '{account}'", -1);

        Assert.False(report.Ok);
        Assert.Equal(Guid.Parse(account), Assert.Single(report.Drifts).AccountId);
    }

    [Fact]
    public async Task a_cash_out_in_flight_is_matched_against_clearing_and_flagged_after_24_hours()
    {
        var user = await cluster.FundedUserAsync(1_000);
        var conversion = Guid.CreateVersion7();
        await PostAsync("conversion_out_start", conversion, user, -400, "now() - interval '25 hours'");

        var report = await cluster.Grains.GetGrain<ILedgerAuditGrain>(0).Reconcile();
        await PostAsync("conversion_out_fail", conversion, user, 400, "now()"); // closes it for the other tests

        Assert.Equal((400L, 400L), (report.ClearingMinor, report.ClearingFromConversionsMinor));
        Assert.Equal(conversion, Assert.Single(report.ConversionsInFlightOver24h));
        Assert.False(report.Ok);
        Assert.Empty(report.Drifts);
    }

    /// <summary>A cash-out posting (SPEC.md 2.4) of <paramref name="userAmount"/> on the user's AV against CLR, in plain SQL.</summary>
    private Task PostAsync(string kind, Guid conversion, Guid user, long userAmount, string createdAt)
    {
        var id = Guid.CreateVersion7();
        return Sql.ExecuteAsync(cluster.Postgres, $"""
            begin;
            insert into ledger.transactions (id, idempotency_key, request_hash, kind, conversion_id, created_at)
            values ('{id}', 'conversion:{conversion}:{kind}', 'h', '{kind}', '{conversion}', {createdAt});
            insert into ledger.entries (transaction_id, account_id, amount, created_at) values
                ('{id}', (select id from ledger.accounts where owner_id = '{user}' and kind = 'USER_AVAILABLE'), {userAmount}, now()),
                ('{id}', '00000000-0000-7000-8000-000000000003', {-userAmount}, now());
            commit;
            """);
    }
}
