using NeXChange.Api.OpenApi;
using NeXChange.Api.Validation;
using NeXChange.Conversion;
using NeXChange.Errors;
using NeXChange.Hosting;

namespace NeXChange.Api.Endpoints;

/// <summary>Development and test endpoints (SPEC.md 8.7): the clock and the sandbox price feed, mapped only with <c>Dev:Endpoints</c>; otherwise they are 404.</summary>
public static class Dev
{
    /// <summary>At most a year per call: enough for every timer of SPEC.md 6.7, far from overflowing a clock.</summary>
    private const long MaxAdvanceSeconds = 366L * 24 * 3600;

    public sealed record AdvanceRequest(long? Seconds);
    public sealed record ClockView(DateTimeOffset Now);

    /// <summary>The sandbox price; an <c>observedAt</c> in the past is reported by every reading until the next PUT (a stale feed).</summary>
    public sealed record PriceFeedRequest(long? MidMinorPerBtc, DateTimeOffset? ObservedAt = null);

    public static void Map(RouteGroupBuilder api)
    {
        var dev = api.MapGroup("/dev").WithTags("Dev");
        dev.MapPost("/clock/advance", async (AdvanceRequest body, IClusterClient cluster) =>
        {
            var rules = new RequestRules();
            var seconds = rules.Required("seconds", body.Seconds);
            rules.ThrowIfInvalid();
            if (seconds is < 1 or > MaxAdvanceSeconds)
                throw DomainException.Validation("seconds", FieldCodes.OutOfRange, $"seconds is between 1 and {MaxAdvanceSeconds}.");
            return TypedResults.Ok(new ClockView(await cluster.GetGrain<IDevClockGrain>(0).Advance(seconds!.Value)));
        }).Fails(400, 404);
        // Answers the breaker as it stands after the new price was sampled.
        dev.MapPut("/price-feed", async (PriceFeedRequest body, IClusterClient cluster) =>
        {
            var rules = new RequestRules();
            var mid = rules.Required("midMinorPerBtc", body.MidMinorPerBtc);
            rules.ThrowIfInvalid();
            return await cluster.GetGrain<IPriceMonitorGrain>(0).SetSandboxPrice(mid!.Value, body.ObservedAt);
        }).Fails(400, 404);
    }
}
