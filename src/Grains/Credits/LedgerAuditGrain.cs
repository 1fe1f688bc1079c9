using Orleans.Concurrency;

namespace NeXChange.Credits;

/// <summary>
/// The admin endpoint's way to <see cref="LedgerReconciliation"/> (SPEC.md 2.9). Drift found on request raises the
/// same alarm as the daily run: an operator looking at the report must not be the only one who knows.
/// </summary>
[StatelessWorker]
public sealed class LedgerAuditGrain(LedgerReconciliation reconciliation, LedgerDriftAlarm alarm, LedgerReader ledger) : Grain, ILedgerAuditGrain
{
    public async Task<ReconciliationReport> Reconcile()
    {
        var report = await reconciliation.RunAsync();
        if (!report.Ok) await alarm.RaiseAsync(report, via: "api");
        return report;
    }

    public async Task<LedgerTransaction> GetTransaction(Guid transactionId) =>
        await ledger.GetTransactionAsync(transactionId) ?? throw Errors.DomainException.NotFound();
}
