using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NeXChange.Hosting;

namespace NeXChange.Conversion;

/// <summary>
/// The production feed: GET <c>Conversion:PriceFeedUrl</c> answering <c>{"midMinorPerBtc": int, "observedAt": RFC 3339}</c>.
/// A timeout, an error status or an answer that is not exactly that gives no reading (logged), never a guessed price.
/// </summary>
public sealed class HttpPriceFeed(
    HttpClient http,
    Uri url,
    [FromKeyedServices(Clocks.Domain)] TimeProvider time,
    ILogger<HttpPriceFeed> logger) : IPriceFeed
{
    public async Task<PriceObservation?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseContentRead, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("Price feed answered {Status}", (int)response.StatusCode);
                return null;
            }
            var observation = Parse(await response.Content.ReadAsByteArrayAsync(cancellationToken));
            if (observation is null) logger.LogWarning("Price feed answered something that is not a price");
            // A source clock ahead of ours must not make a sample look fresher than the moment it arrived.
            return observation is null ? null : observation with { ObservedAt = Min(observation.ObservedAt, time.GetUtcNow()) };
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "Price feed unreachable or too slow");
            return null;
        }
    }

    /// <summary>Both members, the price a positive whole number within <see cref="PriceLimits"/>; anything else is null.</summary>
    public static PriceObservation? Parse(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object
                || !json.RootElement.TryGetProperty("midMinorPerBtc", out var mid) || mid.ValueKind != JsonValueKind.Number
                || !mid.TryGetInt64(out var midMinor) || !PriceLimits.IsPlausible(midMinor)
                || !json.RootElement.TryGetProperty("observedAt", out var at) || at.ValueKind != JsonValueKind.String
                || !at.TryGetDateTimeOffset(out var observedAt))
                return null;
            return new PriceObservation(midMinor, observedAt.ToUniversalTime());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
