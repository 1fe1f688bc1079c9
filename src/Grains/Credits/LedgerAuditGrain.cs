using Orleans.Concurrency;

namespace NeXChange.Credits;

/// <summary>The admin endpoint's way to <see cref="LedgerReconciliation"/> (SPEC.md 2.9).</summary>
[StatelessWorker]
public sealed class LedgerAuditGrain(LedgerReconciliation reconciliation) : Grain, ILedgerAuditGrain
{
    public Task<ReconciliationReport> Reconcile() => reconciliation.RunAsync();
}
