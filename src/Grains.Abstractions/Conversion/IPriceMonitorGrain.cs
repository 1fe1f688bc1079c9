namespace NeXChange.Conversion;

/// <summary>
/// The cluster's one price sampler and circuit breaker (key 0): polls the price feed every 10 s, keeps 5 minutes of
/// samples and answers the breaker of SPEC.md 7.2, evaluated anew on every call.
/// </summary>
public interface IPriceMonitorGrain : IGrainWithIntegerKey
{
    /// <summary>Starts the 10-second sampling; called once by every silo at start-up.</summary>
    Task EnsureSampling();

    [Orleans.Concurrency.ReadOnly]
    Task<ConversionStatus> GetStatus();

    /// <summary>
    /// Dev only (<c>PUT /api/v1/dev/price-feed</c>): sets the sandbox feed's price, and optionally the observation time
    /// it reports (to make it stale), then samples it at once. not_found when the feed is not the sandbox.
    /// </summary>
    Task<ConversionStatus> SetSandboxPrice(long midMinorPerBtc, DateTimeOffset? observedAt);
}
