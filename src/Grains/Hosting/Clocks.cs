namespace NeXChange.Hosting;

/// <summary>
/// The keyed clock of the product's timed rules (trades, disputes, feedback, notifications). It is the system clock
/// unless the dev clock is on (<c>Dev:Endpoints</c>), and then <c>POST /api/v1/dev/clock/advance</c> moves it. Orleans'
/// own timers, sessions and the ledger's day keep the real clock, so moving days ahead never expires a silo.
/// </summary>
public static class Clocks
{
    public const string Domain = "NeXChange.Domain";
}
