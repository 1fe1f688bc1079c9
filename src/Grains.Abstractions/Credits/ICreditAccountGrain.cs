namespace NeXChange.Credits;

/// <summary>
/// One user's money: the single writer of every movement that debits the user's AVAILABLE or ESCROW account.
/// Keyed by the user id. Every operation is idempotent through its ledger key (SPEC.md 2.4): a repeat with the
/// same payload returns the original transaction and moves nothing; the same key with another payload is
/// refused with <c>idempotency_conflict</c>.
/// </summary>
public interface ICreditAccountGrain : IGrainWithGuidKey
{
    Task<Balance> GetBalance();

    /// <summary>The one-time grant on first email verification (key <c>grant:signup:{userId}</c>).</summary>
    Task<Posted> GrantSignup();

    /// <summary>ISS → AV(user), key <c>grant:admin:{adminId}:{idempotencyKey}</c>.</summary>
    Task<Posted> GrantByAdmin(AdminGrant grant);

    /// <summary>AV(this user) → AV(recipient), key <c>transfer:{senderId}:{idempotencyKey}</c>.</summary>
    Task<Posted> Transfer(TransferOrder order);

    /// <summary>
    /// <c>account_closure</c> (SPEC.md 2.4): the whole available balance of a deleted account goes back to issuance.
    /// Null when there is nothing to close. Escrow is not touched: a delete is refused while escrow is held.
    /// </summary>
    Task<Posted?> CloseAccount();

    /// <summary>escrow_hold: AV −(P+F); ES +P; FEES +F, key <c>trade:{tradeId}:hold</c>.</summary>
    Task<Posted> PlaceHold(Guid tradeId, long priceMinor, long feeMinor);

    /// <summary>
    /// The offer-time check (SPEC.md 6.2 T1, T4): would <see cref="PlaceHold"/> of this price and fee pass the limits
    /// and available funds now? Refuses as PlaceHold would; holds nothing.
    /// </summary>
    Task CheckCanHold(long priceMinor, long feeMinor);

    /// <summary>
    /// The quote-time check of a cash-out (SPEC.md 7.1): would a <c>conversion_out_start</c> of this amount pass the
    /// single movement maximum, the daily outflow limits and available funds now? Refuses as a posting would; moves nothing.
    /// </summary>
    Task CheckCanConvertOut(long amountMinor);

    /// <summary>
    /// <c>conversion_out_start</c> (SPEC.md 7.3): AV −X; CLR +X for the cash-out <paramref name="conversionId"/> of
    /// <paramref name="quote"/>, key <c>conversion:{conversionId}:start</c>, committed with the conversion row (status
    /// <c>pending_payout</c>) and the quote marked used (<c>quote_used</c> if it already was). Checks the single movement
    /// maximum, the daily outflow limits and the funds as a transfer does.
    /// </summary>
    Task<Posted> StartConversionOut(Guid conversionId, NeXChange.Conversion.Quote quote, string payoutAddress, DateTimeOffset createdAt);

    /// <summary>escrow_release: ES −P; AV(seller) +P.</summary>
    Task<Posted> ReleaseHold(Guid tradeId, Guid sellerId);

    /// <summary>escrow_refund: ES −P; FEES −F; AV +(P+F).</summary>
    Task<Posted> RefundHold(Guid tradeId);

    /// <summary>escrow_split: ES −P; AV +R; AV(seller) +(P−R); the fee stays with the platform.</summary>
    Task<Posted> SplitHold(Guid tradeId, Guid sellerId, long refundMinor);

    /// <summary>
    /// <c>reversal</c> of an admin grant or transfer that credited this user: the negation of every entry, key
    /// <c>reversal:{originalId}</c>. Reached through <see cref="ILedgerReversalGrain"/>, which routes to the debited user.
    /// </summary>
    Task<Posted> Reverse(ReversalOrder order);

    Task<HistoryPage> GetHistory(string? before, int limit);

    /// <summary>This user's entries of one transaction; not_found when the user has no part in it.</summary>
    Task<IReadOnlyList<LedgerEntry>> GetTransaction(Guid transactionId);

    Task<Statement> GetStatement(DateOnly from, DateOnly to);
}

/// <summary>Read-only ledger-wide checks (SPEC.md 2.9); stateless, so any silo can run it.</summary>
public interface ILedgerAuditGrain : IGrainWithIntegerKey
{
    Task<ReconciliationReport> Reconcile();

    /// <summary>A transaction with all its legs; not_found when unknown.</summary>
    Task<LedgerTransaction> GetTransaction(Guid transactionId);
}

/// <summary>
/// Admin reversals (SPEC.md 2.4): finds the user the reversal debits and has that user's
/// <see cref="ICreditAccountGrain"/> post it, so the single writer of that account stays the only one.
/// </summary>
public interface ILedgerReversalGrain : IGrainWithIntegerKey
{
    Task<Posted> Reverse(ReversalOrder order);
}
