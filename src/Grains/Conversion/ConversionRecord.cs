namespace NeXChange.Conversion;

/// <summary>A row of <c>conversions</c> (migration 0024).</summary>
public sealed record ConversionRecord(
    Guid Id,
    Guid UserId,
    Guid QuoteId,
    string Direction,
    long AmountMinor,
    long BtcSats,
    long RateMinorPerBtc,
    string Status,
    string? PayoutAddress,
    string? DepositAddress,
    DateTimeOffset? DepositExpiresAt,
    string? PartnerTxId,
    string? FailureReason,
    int PayoutAttempts,
    DateTimeOffset? PayoutAcceptedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt)
{
    public bool IsCashOut => Direction == ConversionDirections.CreditsToBtc;

    public bool HasEnded => Status is ConversionStatuses.Completed or ConversionStatuses.Failed;

    /// <summary>A new conversion executing <paramref name="quote"/>, in the status its direction starts in.</summary>
    public static ConversionRecord Start(Guid id, Guid userId, Quote quote, string? payoutAddress, string? depositAddress,
        DateTimeOffset? depositExpiresAt, DateTimeOffset createdAt) =>
        new(id, userId, quote.QuoteId, quote.Direction, quote.AmountMinor, quote.BtcSats, quote.RateMinorPerBtc,
            quote.Direction == ConversionDirections.CreditsToBtc ? ConversionStatuses.PendingPayout : ConversionStatuses.AwaitingDeposit,
            payoutAddress, depositAddress, depositExpiresAt, null, null, 0, null, createdAt, null);

    public ConversionView View(IReadOnlyList<Guid> transactionIds) =>
        new(Id, QuoteId, Direction, AmountMinor, BtcSats, RateMinorPerBtc, Status, PayoutAddress, DepositAddress, DepositExpiresAt,
            PartnerTxId, FailureReason, transactionIds, CreatedAt, CompletedAt);
}

/// <summary>A change to a conversion row written in the same database transaction as a ledger posting.</summary>
public abstract record ConversionChange(Guid ConversionId);

/// <summary>Inserts the conversion and marks its quote used.</summary>
public sealed record OpenConversion(ConversionRecord Row) : ConversionChange(Row.Id);

/// <summary>Moves a conversion that has not ended to <paramref name="Status"/> (completed, failed or expired).</summary>
public sealed record EndConversion(Guid ConversionId, string Status, string? PartnerTxId, string? FailureReason) : ConversionChange(ConversionId);
