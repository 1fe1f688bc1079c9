namespace NeXChange.Conversion;

/// <summary>
/// One user's conversions (keyed by the user id): quotes now; executions are keyed by the quotes it hands out.
/// Quotes are private: another user's quote id is not_found.
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
}
