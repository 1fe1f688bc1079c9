using NeXChange.Errors;

namespace NeXChange.Credits;

/// <summary>
/// Which transactions an admin may reverse and whom a reversal debits (SPEC.md 2.4: only <c>admin_grant</c> and
/// <c>transfer</c>). Both credit exactly one user's AVAILABLE account, and that user pays the reversal.
/// </summary>
public static class Reversals
{
    private static readonly string[] ReversibleKinds = [MovementKinds.AdminGrant, MovementKinds.Transfer];

    /// <summary>The user whose AVAILABLE account the original credited; refuses kinds that cannot be reversed.</summary>
    public static Guid DebitedUser(LedgerTransaction original)
    {
        if (!ReversibleKinds.Contains(original.Kind))
            throw new DomainException(ErrorCodes.InvalidTransition, $"A {original.Kind} transaction cannot be reversed.",
                extensions: new Dictionary<string, object> { ["currentStatus"] = "not_reversible" });
        return UserLeg(original, credited: true);
    }

    /// <summary>The user the reversal gives credits back to: the sender of a transfer; nobody for a grant (issuance).</summary>
    public static Guid? CreditedUser(LedgerTransaction original) =>
        original.Kind == MovementKinds.Transfer ? UserLeg(original, credited: false) : null;

    /// <summary>
    /// The key <c>reversal:{id}</c> is taken by a request with another Idempotency-Key: the transaction is reversed
    /// already. A retry with the same key replays instead (<see cref="LedgerPosting.RequestKey"/>).
    /// </summary>
    public static DomainException AlreadyReversed() =>
        new(ErrorCodes.InvalidTransition, "The transaction has been reversed already.",
            extensions: new Dictionary<string, object> { ["currentStatus"] = "reversed" });

    private static Guid UserLeg(LedgerTransaction original, bool credited) =>
        original.Entries.Single(l => l.AccountKind == AccountKind.UserAvailable.ToDb() && l.AmountMinor > 0 == credited).OwnerId!.Value;
}
