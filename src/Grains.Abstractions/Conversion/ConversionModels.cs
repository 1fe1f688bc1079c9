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
