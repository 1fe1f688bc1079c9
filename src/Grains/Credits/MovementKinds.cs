namespace NeXChange.Credits;

/// <summary>The transaction kinds of SPEC.md 2.4, as stored in <c>ledger.transactions.kind</c>.</summary>
public static class MovementKinds
{
    public const string SignupGrant = "signup_grant";
    public const string AdminGrant = "admin_grant";
    public const string Transfer = "transfer";
    public const string EscrowHold = "escrow_hold";
    public const string EscrowRelease = "escrow_release";
    public const string EscrowRefund = "escrow_refund";
    public const string EscrowSplit = "escrow_split";
    public const string ConversionOutStart = "conversion_out_start";
    public const string ConversionOutSettle = "conversion_out_settle";
    public const string ConversionOutFail = "conversion_out_fail";
    public const string ConversionIn = "conversion_in";
    public const string AccountClosure = "account_closure";
    public const string Reversal = "reversal";

    /// <summary>The kinds whose AVAILABLE debits count toward the daily outflow limits (SPEC.md 2.6).</summary>
    public static readonly IReadOnlyList<string> Outflows = [Transfer, EscrowHold, ConversionOutStart];
}

/// <summary>Hold statuses of SPEC.md 2.8, as stored in <c>ledger.holds.status</c>.</summary>
public static class HoldStatuses
{
    public const string Open = "open";
    public const string Released = "released";
    public const string Refunded = "refunded";
    public const string Split = "split";
}
