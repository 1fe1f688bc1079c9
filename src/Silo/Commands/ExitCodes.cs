namespace NeXChange.Silo.Commands;

/// <summary>
/// The exit codes of the operator commands, the same for all of them so that scripts can tell a finding from a
/// mistake from an outage. <c>help</c> and every command's <c>--help</c> print them.
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command ran and found a problem (reconcile: the ledger drifted).</summary>
    public const int Problem = 1;

    /// <summary>Unknown command or option, a missing value, or input the rules refuse; nothing was changed.</summary>
    public const int Usage = 2;

    /// <summary>The command could not run: a store unreachable, a setting missing.</summary>
    public const int CouldNotRun = 3;

    public const string Description =
        "Exit codes: 0 done; 1 the command ran and found a problem (reconcile: drift); 2 usage error or refused input "
        + "(unknown command or option, missing value; message on stderr); 3 could not run (a store unreachable, a setting "
        + "missing; message on stderr).";
}
