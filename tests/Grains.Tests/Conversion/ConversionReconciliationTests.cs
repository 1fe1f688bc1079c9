using NeXChange.Conversion;
using NeXChange.Credits;
using NeXChange.Grains.Tests.Credits;
using NeXChange.TestSupport;

namespace NeXChange.Grains.Tests.Conversion;

/// <summary>
/// Reconciliation after every way a conversion goes, written through the production path (ledger writer, ConversionRows,
/// ConversionStore) on a database of its own: clearing holds exactly the cash-outs still pending (SPEC.md 2.3 L8).
/// </summary>
public class ConversionReconciliationTests(LedgerDatabase db) : IClassFixture<LedgerDatabase>
{
    private readonly ConversionSql sql = new(db);

    [Fact]
    public async Task after_a_mix_of_conversions_reconciliation_is_ok_and_clearing_is_the_pending_cash_outs()
    {
        var store = new ConversionStore(db.DataSource);
        var user = await sql.UserAsync(1_000);
        async Task<ConversionRecord> RowAsync(string direction, long amountMinor) =>
            sql.Executing(user.Id, await sql.QuoteAsync(user.Id, direction, amountMinor));
        async Task<ConversionRecord> StartedAsync(long amountMinor)
        {
            var row = await RowAsync(ConversionDirections.CreditsToBtc, amountMinor);
            await db.Writer.PostAsync(Movements.ConversionOutStart(row));
            return row;
        }
        async Task<ConversionRecord> AwaitingAsync(long amountMinor)
        {
            var row = await RowAsync(ConversionDirections.BtcToCredits, amountMinor);
            await store.InsertAsync(row);
            return row;
        }
        Task EndAsync(string kind, ConversionRecord row, string status, string? reason = null) =>
            db.Writer.PostAsync(Movements.ConversionEnd(kind, row, new EndConversion(row.Id, status, "partner-tx", reason)));

        var settled = await StartedAsync(100);
        var failed = await StartedAsync(150);
        var pending = new[] { await StartedAsync(200), await StartedAsync(250) };
        var credited = await AwaitingAsync(300);
        var underpaid = await AwaitingAsync(400);
        var expired = await AwaitingAsync(500);
        await EndAsync(MovementKinds.ConversionOutSettle, settled, ConversionStatuses.Completed);
        await EndAsync(MovementKinds.ConversionOutFail, failed, ConversionStatuses.Failed, "payout_failed");
        await EndAsync(MovementKinds.ConversionIn, credited, ConversionStatuses.Completed);
        await store.EndAsync(new EndConversion(underpaid.Id, ConversionStatuses.Failed, "partner-tx", "underpaid"), sql.ExecutedAt);
        await store.ExpireDueAsync(user.Id, expired.DepositExpiresAt!.Value);

        var report = await db.ReconcileAsync();

        Assert.True(report.Ok);
        Assert.Equal(450, report.ClearingMinor);
        Assert.Equal(450, report.ClearingFromConversionsMinor);
        Assert.Equal(report.ClearingMinor, await Sql.ScalarAsync<long>(db.Postgres,
            "select sum(amount_minor)::bigint from conversions where direction = 'credits_to_btc' and status = 'pending_payout'"));
        Assert.Equal(1_000 - 100 - 200 - 250 + 300, await db.BalanceAsync(user.Id));
        IEnumerable<string?> statuses =
            [ConversionStatuses.Completed, ConversionStatuses.Failed, ConversionStatuses.PendingPayout, ConversionStatuses.PendingPayout,
             ConversionStatuses.Completed, ConversionStatuses.Failed, ConversionStatuses.Expired];
        Assert.Equal(statuses,
            await Task.WhenAll(new[] { settled, failed, pending[0], pending[1], credited, underpaid, expired }.Select(r => sql.StatusAsync(r.Id))));
        Assert.Empty(report.ConversionsInFlightOver24h);
    }
}
