namespace NeXChange.Conversion;

/// <summary>The two directions of SPEC.md 7.1, as the API and the quote table spell them.</summary>
public static class ConversionDirections
{
    /// <summary>Cash-out: credits leave the user's available balance, BTC is paid out.</summary>
    public const string CreditsToBtc = "credits_to_btc";

    /// <summary>Top-up: the user deposits BTC and receives credits.</summary>
    public const string BtcToCredits = "btc_to_credits";

    public static readonly IReadOnlyList<string> All = [CreditsToBtc, BtcToCredits];
}

/// <summary>The circuit breaker's states (SPEC.md 7.2).</summary>
public static class BreakerStatuses
{
    public const string Normal = "normal";
    public const string Degraded = "degraded";
    public const string Paused = "paused";
}

/// <summary>Why the breaker is degraded or paused (SPEC.md 7.2).</summary>
public static class BreakerReasons
{
    public const string StaleFeed = "stale_feed";
    public const string Volatility = "volatility";
    public const string Maintenance = "maintenance";
}

/// <summary>
/// <c>GET /credits/conversion-status</c>: the breaker now, with the latest price sample. <see cref="RetryAfterSeconds"/>
/// is set only while paused.
/// </summary>
[GenerateSerializer, Alias("NeXChange.Conversion.ConversionStatus")]
public sealed record ConversionStatus(
    [property: Id(0)] string Status,
    [property: Id(1)] string? Reason,
    [property: Id(2)] long? MidMinorPerBtc,
    [property: Id(3)] DateTimeOffset? ObservedAt,
    [property: Id(4)] long? RetryAfterSeconds);

/// <summary>A quote of SPEC.md 7.1: the price a conversion of this amount executes at until <see cref="ExpiresAt"/>.</summary>
[GenerateSerializer, Alias("NeXChange.Conversion.Quote")]
public sealed record Quote(
    [property: Id(0)] Guid QuoteId,
    [property: Id(1)] string Direction,
    [property: Id(2)] long AmountMinor,
    [property: Id(3)] long BtcSats,
    [property: Id(4)] long MidMinorPerBtc,
    [property: Id(5)] long RateMinorPerBtc,
    [property: Id(6)] int SpreadBps,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] DateTimeOffset ExpiresAt);

/// <summary>Conversion statuses (SPEC.md 7.3): <c>pending_payout → completed | failed</c>; <c>awaiting_deposit → completed | failed | expired</c>.</summary>
public static class ConversionStatuses
{
    public const string PendingPayout = "pending_payout";
    public const string AwaitingDeposit = "awaiting_deposit";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Expired = "expired";
}

/// <summary><c>POST /credits/conversions</c>: execute a quote; a cash-out names the BTC address to pay.</summary>
[GenerateSerializer, Alias("NeXChange.Conversion.ExecutionOrder")]
public sealed record ExecutionOrder(
    [property: Id(0)] Guid QuoteId,
    [property: Id(1)] string? PayoutAddress);

/// <summary>A conversion as its owner sees it (SPEC.md 7.3); optional members are null where they do not apply.</summary>
[GenerateSerializer, Alias("NeXChange.Conversion.ConversionView")]
public sealed record ConversionView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid QuoteId,
    [property: Id(2)] string Direction,
    [property: Id(3)] long AmountMinor,
    [property: Id(4)] long BtcSats,
    [property: Id(5)] long RateMinorPerBtc,
    [property: Id(6)] string Status,
    [property: Id(7)] string? PayoutAddress,
    [property: Id(8)] string? DepositAddress,
    [property: Id(9)] DateTimeOffset? DepositExpiresAt,
    [property: Id(10)] string? PartnerTxId,
    [property: Id(11)] string? FailureReason,
    [property: Id(12)] IReadOnlyList<Guid> TransactionIds,
    [property: Id(13)] DateTimeOffset CreatedAt,
    [property: Id(14)] DateTimeOffset? CompletedAt);

[GenerateSerializer, Alias("NeXChange.Conversion.ConversionPage")]
public sealed record ConversionPage(
    [property: Id(0)] IReadOnlyList<ConversionView> Items,
    [property: Id(1)] string? NextBefore);

/// <summary>The partner's webhook event types (SPEC.md 7.4).</summary>
public static class CustodyEventTypes
{
    public const string PayoutProcessing = "payout_processing";
    public const string PayoutCompleted = "payout_completed";
    public const string PayoutFailed = "payout_failed";
    public const string DepositDetected = "deposit_detected";
    public const string DepositConfirmed = "deposit_confirmed";
    public const string DepositFailed = "deposit_failed";

    public static readonly IReadOnlyList<string> All =
        [PayoutProcessing, PayoutCompleted, PayoutFailed, DepositDetected, DepositConfirmed, DepositFailed];
}

/// <summary>One verified webhook from the custodial partner (SPEC.md 7.4).</summary>
[GenerateSerializer, Alias("NeXChange.Conversion.CustodyEvent")]
public sealed record CustodyEvent(
    [property: Id(0)] string EventId,
    [property: Id(1)] string Type,
    [property: Id(2)] Guid ConversionId,
    [property: Id(3)] long? BtcSats,
    [property: Id(4)] string? PartnerTxId,
    [property: Id(5)] string? Reason,
    [property: Id(6)] DateTimeOffset OccurredAt);

/// <summary>What a partner event did: moved the conversion on, nothing (repeat, informational, already applied), or contradicted it.</summary>
public static class CustodyEventOutcomes
{
    public const string Applied = "applied";
    public const string Ignored = "ignored";
    public const string Conflict = "conflict";
}
