using Microsoft.AspNetCore.Http.HttpResults;
using NeXChange.Api.Auth;
using NeXChange.Api.Idempotency;
using NeXChange.Api.OpenApi;
using NeXChange.Api.Validation;
using NeXChange.Conversion;
using NeXChange.Errors;

namespace NeXChange.Api.Endpoints;

/// <summary>
/// BTC conversion (SPEC.md 7, 8.5): the breaker's status, quotes, execution and the owner's conversions. A quote's
/// Location is <c>GET /credits/conversions/quotes/{id}</c>, an addition to SPEC.md 8.5 so that the 201 names something
/// a GET answers. The partner's webhook is <see cref="CustodyWebhook"/>.
/// </summary>
public static class Conversion
{
    public sealed record QuoteRequest(string? Direction, long? AmountMinor);

    public sealed record ExecutionRequest(Guid? QuoteId, string? PayoutAddress = null);

    public static void Map(RouteGroupBuilder api)
    {
        var credits = api.MapGroup("/credits").WithTags("Conversion").RequireAuthorization();
        credits.MapGet("/conversion-status", (IClusterClient cluster) => cluster.GetGrain<IPriceMonitorGrain>(0).GetStatus()).Fails(401);
        credits.MapPost("/conversions/quotes", CreateQuote).Fails(400, 401, 403, 422, 503);
        credits.MapGet("/conversions/quotes/{id}", GetQuote).Fails(401, 404);
        credits.MapPost("/conversions", Execute).RequireIdempotencyKey().Fails(400, 401, 403, 404, 409, 422, 503);
        credits.MapGet("/conversions/{id}", GetConversion).Fails(401, 404);
        api.MapGet("/me/credits/conversions", List).WithTags("Conversion").RequireAuthorization().Fails(400, 401);
        CustodyWebhook.Map(api);
    }

    private static IConversionDeskGrain Desk(HttpContext http, IClusterClient cluster) =>
        cluster.GetGrain<IConversionDeskGrain>(http.User.UserId());

    private static async Task<Created<Quote>> CreateQuote(QuoteRequest body, HttpContext http, IClusterClient cluster)
    {
        var rules = new RequestRules();
        var direction = rules.Required("direction", body.Direction);
        var amount = rules.Money("amountMinor", body.AmountMinor);
        rules.ThrowIfInvalid();
        var quote = await Desk(http, cluster).CreateQuote(direction, amount!.Value);
        return TypedResults.Created($"/api/v1/credits/conversions/quotes/{quote.QuoteId}", quote);
    }

    private static Task<Quote> GetQuote(string id, HttpContext http, IClusterClient cluster) =>
        Guid.TryParse(id, out var quoteId) ? Desk(http, cluster).GetQuote(quoteId) : throw DomainException.NotFound();

    private static async Task<Created<ConversionView>> Execute(ExecutionRequest body, HttpContext http, IClusterClient cluster)
    {
        var rules = new RequestRules();
        var quoteId = rules.Required("quoteId", body.QuoteId);
        rules.Length("payoutAddress", body.PayoutAddress, 1, 100);
        rules.ThrowIfInvalid();
        var conversion = await Desk(http, cluster).Execute(new ExecutionOrder(quoteId!.Value, body.PayoutAddress));
        return TypedResults.Created($"/api/v1/credits/conversions/{conversion.Id}", conversion);
    }

    private static Task<ConversionView> GetConversion(string id, HttpContext http, IClusterClient cluster) =>
        Guid.TryParse(id, out var conversionId) ? Desk(http, cluster).GetConversion(conversionId) : throw DomainException.NotFound();

    private static Task<ConversionPage> List(string? before, int? limit, HttpContext http, IClusterClient cluster)
    {
        var rules = new RequestRules();
        var size = rules.Range("limit", limit, 1, 100, 20);
        rules.ThrowIfInvalid();
        return Desk(http, cluster).ListConversions(before, size);
    }
}
