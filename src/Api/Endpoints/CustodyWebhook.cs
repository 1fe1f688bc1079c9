using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using NeXChange.Api.Hosting;
using Microsoft.Extensions.Options;
using NeXChange.Api.OpenApi;
using NeXChange.Api.Validation;
using NeXChange.Conversion;
using NeXChange.Errors;

namespace NeXChange.Api.Endpoints;

/// <summary>
/// <c>POST /api/v1/webhooks/custody</c> (SPEC.md 7.4): the partner's events, signed with HMAC-SHA256 over the raw body.
/// The signature is checked before the body is parsed, against <c>Custody:WebhookSecret</c> and, during a rotation,
/// <c>Custody:PreviousWebhookSecret</c>; with neither configured every webhook is refused.
/// </summary>
public static class CustodyWebhook
{
    public sealed record WebhookBody(string? EventId, string? Type, Guid? ConversionId, long? BtcSats = null, string? PartnerTxId = null,
        string? Reason = null, DateTimeOffset? OccurredAt = null);

    public static void Map(RouteGroupBuilder api) =>
        api.MapPost("/webhooks/custody", Receive).WithTags("Conversion").AllowAnonymous().Accepts<WebhookBody>("application/json")
            .Produces(StatusCodes.Status204NoContent).Fails(400, 401, 404);

    private static async Task<NoContent> Receive(HttpContext http, IClusterClient cluster, IConfiguration configuration,
        IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json)
    {
        // 64 KB whatever the content type says: the whole body is buffered and hashed before anything else.
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = JsonBodyLimit.MaxJsonBytes;
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var raw = buffer.ToArray();
        var webhooks = cluster.GetGrain<ICustodyWebhookGrain>(0);
        string[] secrets = [.. new[] { configuration["Custody:WebhookSecret"], configuration["Custody:PreviousWebhookSecret"] }
            .Where(s => !string.IsNullOrEmpty(s)).Select(s => s!)];
        var signature = http.Request.Headers[CustodySignature.Header].ToString();
        if (!CustodySignature.Verify(signature, raw, secrets))
        {
            await webhooks.Reject(signature.Length == 0 ? "missing_signature" : "wrong_signature", http.Connection.RemoteIpAddress?.ToString());
            throw new DomainException(ErrorCodes.InvalidSignature, "The webhook signature is missing or wrong.");
        }
        var body = JsonSerializer.Deserialize<WebhookBody>(raw, json.Value.SerializerOptions)
            ?? throw DomainException.Validation("body", FieldCodes.Required, "A JSON object is required.");
        await webhooks.Handle(Parse(body));
        return TypedResults.NoContent();
    }

    private static CustodyEvent Parse(WebhookBody body)
    {
        var rules = new RequestRules();
        var eventId = rules.Required("eventId", body.EventId);
        rules.Length("eventId", body.EventId, 1, 100);
        var type = rules.Required("type", body.Type);
        rules.OneOf("type", body.Type, CustodyEventTypes.All);
        var conversionId = rules.Required("conversionId", body.ConversionId);
        var occurredAt = rules.Required("occurredAt", body.OccurredAt);
        rules.Money("btcSats", body.BtcSats, required: body.Type == CustodyEventTypes.DepositConfirmed);
        rules.Length("partnerTxId", body.PartnerTxId, 1, 200);
        rules.Length("reason", body.Reason, 1, 200);
        rules.ThrowIfInvalid();
        return new CustodyEvent(eventId!, type!, conversionId!.Value, body.BtcSats, body.PartnerTxId, body.Reason, occurredAt!.Value);
    }
}
