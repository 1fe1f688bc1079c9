using Microsoft.Extensions.DependencyInjection;
using NeXChange.Hosting;

namespace NeXChange.Conversion;

/// <summary>
/// The sandbox feed (SPEC.md 7.1): 10 000 000 minor credits per BTC, observed "now" by the domain clock, until the dev
/// endpoint sets another price or a fixed observation time (which is how tests make the feed stale).
/// </summary>
public sealed class SandboxPriceFeed([FromKeyedServices(Clocks.Domain)] TimeProvider time) : IPriceFeed
{
    public const long DefaultMidMinorPerBtc = 10_000_000;

    private readonly Lock gate = new();
    private long mid = DefaultMidMinorPerBtc;
    private DateTimeOffset? observedAt;

    public Task<PriceObservation?> ReadAsync(CancellationToken cancellationToken)
    {
        lock (gate) return Task.FromResult<PriceObservation?>(new PriceObservation(mid, observedAt ?? time.GetUtcNow()));
    }

    /// <summary>A null <paramref name="fixedObservedAt"/> makes every reading fresh again.</summary>
    public void Set(long midMinorPerBtc, DateTimeOffset? fixedObservedAt)
    {
        lock (gate)
        {
            mid = midMinorPerBtc;
            observedAt = fixedObservedAt;
        }
    }
}
