namespace NeXChange.Credits;

[GenerateSerializer, Alias("NeXChange.Credits.Balance")]
public sealed record Balance(
    [property: Id(0)] long AvailableMinor,
    [property: Id(1)] long HeldMinor,
    [property: Id(2)] long DailyOutflowUsedMinor,
    [property: Id(3)] long DailyOutflowLimitMinor,
    [property: Id(4)] int DailyTransactionsUsed,
    [property: Id(5)] int DailyTransactionsLimit);

/// <summary>The outcome of a money operation: the ledger transaction (new or replayed) and the caller's balance after it.</summary>
[GenerateSerializer, Alias("NeXChange.Credits.Posted")]
public sealed record Posted(
    [property: Id(0)] Guid TransactionId,
    [property: Id(1)] DateTimeOffset CreatedAt,
    [property: Id(2)] bool Replayed,
    [property: Id(3)] long AvailableMinor);

[GenerateSerializer, Alias("NeXChange.Credits.AdminGrant")]
public sealed record AdminGrant(
    [property: Id(0)] Guid AdminId,
    [property: Id(1)] string IdempotencyKey,
    [property: Id(2)] long AmountMinor,
    [property: Id(3)] string Reason);

[GenerateSerializer, Alias("NeXChange.Credits.TransferOrder")]
public sealed record TransferOrder(
    [property: Id(0)] Guid RecipientId,
    [property: Id(1)] long AmountMinor,
    [property: Id(2)] string? Memo,
    [property: Id(3)] string IdempotencyKey);

[GenerateSerializer, Alias("NeXChange.Credits.LedgerEntry")]
public sealed record LedgerEntry(
    [property: Id(0)] long EntryId,
    [property: Id(1)] Guid TransactionId,
    [property: Id(2)] string Kind,
    [property: Id(3)] string Account,
    [property: Id(4)] long AmountMinor,
    [property: Id(5)] long BalanceAfterMinor,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] Guid? TradeId,
    [property: Id(8)] Guid? ConversionId,
    [property: Id(9)] Guid? CounterpartyId,
    [property: Id(10)] string? Memo);

[GenerateSerializer, Alias("NeXChange.Credits.HistoryPage")]
public sealed record HistoryPage(
    [property: Id(0)] IReadOnlyList<LedgerEntry> Items,
    [property: Id(1)] string? NextBefore);

[GenerateSerializer, Alias("NeXChange.Credits.AccountStatement")]
public sealed record AccountStatement(
    [property: Id(0)] string Account,
    [property: Id(1)] long OpeningMinor,
    [property: Id(2)] long CreditsMinor,
    [property: Id(3)] long DebitsMinor,
    [property: Id(4)] long ClosingMinor,
    [property: Id(5)] IReadOnlyList<LedgerEntry> Entries);

[GenerateSerializer, Alias("NeXChange.Credits.Statement")]
public sealed record Statement(
    [property: Id(0)] DateOnly From,
    [property: Id(1)] DateOnly To,
    [property: Id(2)] AccountStatement Available,
    [property: Id(3)] AccountStatement Escrow);

[GenerateSerializer, Alias("NeXChange.Credits.Drift")]
public sealed record Drift(
    [property: Id(0)] Guid AccountId,
    [property: Id(1)] string Kind,
    [property: Id(2)] Guid? OwnerId,
    [property: Id(3)] long StoredMinor,
    [property: Id(4)] long RecomputedMinor);

[GenerateSerializer, Alias("NeXChange.Credits.HoldMismatch")]
public sealed record HoldMismatch(
    [property: Id(0)] Guid UserId,
    [property: Id(1)] long EscrowMinor,
    [property: Id(2)] long OpenHoldsMinor);

/// <summary>
/// SPEC.md 2.9. <see cref="FeesFromHoldsMinor"/> (Σ fees of open, released and split holds) must equal
/// <see cref="FeesMinor"/> (L7); <see cref="ClearingFromConversionsMinor"/> (Σ of cash-outs started and neither settled
/// nor failed) must equal <see cref="ClearingMinor"/> (L8).
/// </summary>
[GenerateSerializer, Alias("NeXChange.Credits.ReconciliationReport")]
public sealed record ReconciliationReport(
    [property: Id(0)] DateTimeOffset GeneratedAt,
    [property: Id(1)] bool Ok,
    [property: Id(2)] long AccountsChecked,
    [property: Id(3)] long TransactionsChecked,
    [property: Id(4)] long EntriesChecked,
    [property: Id(5)] long SumOfBalancesMinor,
    [property: Id(6)] long CirculatingMinor,
    [property: Id(7)] long FeesMinor,
    [property: Id(8)] long ClearingMinor,
    [property: Id(9)] long OpenHoldsMinor,
    [property: Id(10)] long EscrowBalancesMinor,
    [property: Id(11)] IReadOnlyList<Drift> Drifts,
    [property: Id(12)] IReadOnlyList<HoldMismatch> HoldMismatches,
    [property: Id(13)] IReadOnlyList<Guid> UnbalancedTransactions,
    [property: Id(14)] IReadOnlyList<Guid> NegativeAccounts,
    [property: Id(15)] IReadOnlyList<Guid> ConversionsInFlightOver24h,
    [property: Id(16)] long FeesFromHoldsMinor,
    [property: Id(17)] long ClearingFromConversionsMinor);

/// <summary>
/// One transaction with every leg (operators' view, SPEC.md 2.3), who initiated it and why, and its reversal link
/// either way: the transaction a reversal negates, or the reversal that negated this one.
/// </summary>
[GenerateSerializer, Alias("NeXChange.Credits.LedgerTransaction")]
public sealed record LedgerTransaction(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Kind,
    [property: Id(2)] DateTimeOffset CreatedAt,
    [property: Id(3)] IReadOnlyList<TransactionLeg> Entries)
{
    [Id(4)] public Guid? InitiatorId { get; init; }
    [Id(5)] public string? Reason { get; init; }
    [Id(6)] public Guid? ReversesTransactionId { get; init; }
    [Id(7)] public Guid? ReversedByTransactionId { get; init; }
}

/// <summary>An admin's request to reverse a transaction (SPEC.md 2.4 <c>reversal</c>), with the caller's Idempotency-Key.</summary>
[GenerateSerializer, Alias("NeXChange.Credits.ReversalOrder")]
public sealed record ReversalOrder(
    [property: Id(0)] Guid AdminId,
    [property: Id(1)] Guid TransactionId,
    [property: Id(2)] string Reason,
    [property: Id(3)] string IdempotencyKey);

[GenerateSerializer, Alias("NeXChange.Credits.TransactionLeg")]
public sealed record TransactionLeg([property: Id(0)] string AccountKind, [property: Id(1)] Guid? OwnerId, [property: Id(2)] long AmountMinor)
{
    /// <summary>Which of its kind's accounts a system leg was booked on (0 for a user's accounts).</summary>
    [Id(3)] public int Shard { get; init; }
}
