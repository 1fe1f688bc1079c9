using System.Text.Json;
using NeXChange.Credits;

namespace NeXChange.Silo.Commands;

/// <summary>
/// <c>reconcile</c>: prints the reconciliation report (SPEC.md 2.9) as JSON; exit 0 when ok, 1 when not. A failing
/// run raises the drift alarm (audit LEDGER_DRIFT, critical log); nothing is corrected.
/// </summary>
public sealed class ReconcileCommand(LedgerReconciliation reconciliation, LedgerDriftAlarm alarm) : IOperatorCommand
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public async Task<int> RunAsync(CommandArguments arguments, CommandConsole console)
    {
        var report = await reconciliation.RunAsync();
        await console.Output.WriteLineAsync(JsonSerializer.Serialize(report, Json));
        if (report.Ok) return ExitCodes.Ok;
        await alarm.RaiseAsync(report, via: "cli");
        return ExitCodes.Problem;
    }
}
