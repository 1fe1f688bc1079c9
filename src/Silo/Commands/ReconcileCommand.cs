using System.Text.Json;
using NeXChange.Credits;
using NeXChange.Users;

namespace NeXChange.Silo.Commands;

/// <summary>
/// <c>reconcile</c>: prints the reconciliation report (SPEC.md 2.9) as JSON; exit 0 when ok, 1 when not. A failing
/// run is audited as LEDGER_DRIFT and logged at critical level; nothing is corrected.
/// </summary>
public sealed class ReconcileCommand(LedgerReconciliation reconciliation, AuditLog audit, ILogger<ReconcileCommand> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task<int> RunAsync(TextWriter output)
    {
        var report = await reconciliation.RunAsync();
        await output.WriteLineAsync(JsonSerializer.Serialize(report, Json));
        if (report.Ok) return 0;

        logger.LogCritical(
            "Ledger reconciliation failed: sum of balances {Sum}, {Drifts} drifts, {HoldMismatches} hold mismatches, {Unbalanced} unbalanced transactions, {Negative} negative accounts",
            report.SumOfBalancesMinor, report.Drifts.Count, report.HoldMismatches.Count, report.UnbalancedTransactions.Count, report.NegativeAccounts.Count);
        await audit.WriteAsync(new AuditEntry(AuditActions.LedgerDrift, "ledger", "reconciliation", null, new
        {
            via = "cli",
            sumOfBalancesMinor = report.SumOfBalancesMinor,
            feesMinor = report.FeesMinor,
            feesFromHoldsMinor = report.FeesFromHoldsMinor,
            driftedAccounts = report.Drifts.Select(d => d.AccountId),
            holdMismatchUsers = report.HoldMismatches.Select(h => h.UserId),
            unbalancedTransactions = report.UnbalancedTransactions,
            negativeAccounts = report.NegativeAccounts,
        }), report.GeneratedAt);
        return 1;
    }
}
