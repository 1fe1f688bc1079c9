namespace NeXChange.Conversion;

/// <summary>
/// One user's conversions (keyed by the user id): quotes, their execution, and the partner's events for the user's
/// conversions, all serialized per user. Quotes and conversions are private: another user's id is not_found.
/// </summary>
public interface IConversionDeskGrain : IGrainWithGuidKey
{
    /// <summary>
    /// A 60-second quote (SPEC.md 7.1): ID-verified users only (<c>id_verification_required</c>), 100 ≤ amount
    /// (<c>validation_failed</c>) ≤ the single movement maximum (<c>limit_exceeded</c>); a cash-out needs the funds and
    /// the daily allowance now (422); a paused breaker refuses with <c>conversion_paused</c> and retryAfterSeconds.
    /// </summary>
    Task<Quote> CreateQuote(string? direction, long amountMinor);

    /// <summary>This user's quote; not_found for an unknown id or another user's quote.</summary>
    Task<Quote> GetQuote(Guid quoteId);

    /// <summary>
    /// Executes a quote (SPEC.md 7.3): the duplicate guard (<c>duplicate_request</c>), then the quote (not_found,
    /// <c>quote_expired</c>, <c>quote_used</c>), the breaker, ID verification, the payout address of a cash-out, funds
    /// and limits. A cash-out posts <c>conversion_out_start</c> and asks the partner to pay; a top-up gets a deposit address.
    /// </summary>
    Task<ConversionView> Execute(ExecutionOrder order);

    /// <summary>This user's conversion; not_found for an unknown id or another user's.</summary>
    Task<ConversionView> GetConversion(Guid conversionId);

    /// <summary>This user's conversions, newest first (<c>invalid_cursor</c>, limit 1–100).</summary>
    Task<ConversionPage> ListConversions(string? before, int limit);

    /// <summary>
    /// A verified partner event about one of this user's conversions (SPEC.md 7.4); returns a
    /// <see cref="CustodyEventOutcomes"/> value. Never refuses a harmless repeat or a contradiction: both change nothing.
    /// </summary>
    Task<string> ApplyPartnerEvent(CustodyEvent custodyEvent);

    /// <summary>Whether a conversion of this user is pending payout or awaiting a deposit (a DSR delete waits for it).</summary>
    Task<bool> HasConversionInFlight();
}

/// <summary>
/// The custody webhook's entry (stateless): drops repeated event ids, finds the conversion's owner, hands the event to
/// the owner's <see cref="IConversionDeskGrain"/>, and audits rejected signatures.
/// </summary>
public interface ICustodyWebhookGrain : IGrainWithIntegerKey
{
    /// <summary>not_found for an unknown conversion id.</summary>
    Task Handle(CustodyEvent custodyEvent);

    /// <summary>Audit <c>WEBHOOK_REJECTED</c>: a webhook without a valid signature reached the API.</summary>
    Task Reject(string reason, string? ip);
}
