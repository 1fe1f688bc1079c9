using Microsoft.Extensions.Logging;
using NeXChange.Audit;

namespace NeXChange.Credits;

/// <summary>
/// What a failed scheduled or operator reconciliation leaves behind (SPEC.md 2.9): a critical log line and a
/// LEDGER_DRIFT audit row naming the affected accounts. Nothing is corrected automatically.
/// </summary>
public sealed class LedgerDriftAlarm(AuditLog audit, ILogger<LedgerDriftAlarm> logger)
{
    public async Task RaiseAsync(ReconciliationReport report, string via)
    {
        logger.LogCritical(
            "Ledger reconciliation failed ({Via}): sum of balances {Sum}, {Drifts} drifts, {HoldMismatches} hold mismatches, {Unbalanced} unbalanced transactions, {Negative} negative accounts",
            via, report.SumOfBalancesMinor, report.Drifts.Count, report.HoldMismatches.Count, report.UnbalancedTransactions.Count, report.NegativeAccounts.Count);
        await audit.WriteAsync(new AuditEntry(AuditActions.LedgerDrift, "ledger", "reconciliation", null, new
        {
            via,
            sumOfBalancesMinor = report.SumOfBalancesMinor,
            feesMinor = report.FeesMinor,
            feesFromHoldsMinor = report.FeesFromHoldsMinor,
            driftedAccounts = report.Drifts.Select(d => d.AccountId),
            holdMismatchUsers = report.HoldMismatches.Select(h => h.UserId),
            unbalancedTransactions = report.UnbalancedTransactions,
            negativeAccounts = report.NegativeAccounts,
        }), report.GeneratedAt);
    }
}
