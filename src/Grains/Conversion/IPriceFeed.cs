namespace NeXChange.Conversion;

/// <summary>One reading of the BTC price: minor credits per 1 BTC, and when the source observed it.</summary>
public sealed record PriceObservation(long MidMinorPerBtc, DateTimeOffset ObservedAt);

/// <summary>
/// The price feed port of SPEC.md 7.1. Null when the source cannot give a usable price now (down, slow, garbage): the
/// breaker then sees the latest sample age, which is how an outage pauses conversion.
/// </summary>
public interface IPriceFeed
{
    Task<PriceObservation?> ReadAsync(CancellationToken cancellationToken);
}
