using Microsoft.AspNetCore.Http.HttpResults;
using NeXChange.Api.Auth;
using NeXChange.Api.Idempotency;
using NeXChange.Api.OpenApi;
using NeXChange.Api.Validation;
using NeXChange.Errors;
using NeXChange.Trading;

namespace NeXChange.Api.Endpoints;

/// <summary>Trades (SPEC.md 6, 8.4): thin handlers; the state machine and its guards are the TradeGrain's.</summary>
public static class Trades
{
    public const string NotAsDescribed = "not_as_described";

    public sealed record OfferBody(Guid? ItemId, long? OfferMinor);
    public sealed record CounterBody(long? CounterMinor);
    public sealed record LocationBody(string? Choice, Guid? SafeZoneId = null, double? Lat = null, double? Lng = null,
        bool? AcknowledgeSafetyWarning = null, bool? ConfirmDistance = null);
    public sealed record TimeBody(DateTimeOffset? ProposedAt);
    public sealed record RejectBody(string? Reason, string? Details = null);
    public sealed record CancelBody(string? Reason);
    public sealed record ModeratorCancelBody(string? Note, string? AtFault = null);

    private static readonly string[] Statuses =
    [
        TradeStatuses.Offered, TradeStatuses.Countered, TradeStatuses.Accepted, TradeStatuses.Scheduled, TradeStatuses.Disputed,
        TradeStatuses.Completed, TradeStatuses.Declined, TradeStatuses.Withdrawn, TradeStatuses.Expired, TradeStatuses.Cancelled,
        TradeStatuses.Resolved,
    ];

    public static void Map(RouteGroupBuilder api)
    {
        var trades = api.MapGroup("/trades").WithTags("Trades").RequireAuthorization();
        trades.MapPost("", Offer).RequireVerifiedEmail().RequireIdempotencyKey().Fails(400, 401, 403, 404, 409, 422);
        trades.MapGet("/{id}", (string id, HttpContext http, IClusterClient cluster) =>
            Grain(id, cluster).Get(http.User.TradeCaller())).Fails(401, 404);
        trades.MapPost("/{id}/counter", (string id, CounterBody body, HttpContext http, IClusterClient cluster) =>
        {
            var rules = new RequestRules();
            var counter = rules.Money("counterMinor", body.CounterMinor);
            rules.ThrowIfInvalid();
            return Grain(id, cluster).Counter(http.User.TradeCaller(), counter!.Value);
        }).Fails(400, 401, 403, 404, 409, 422);
        trades.MapPost("/{id}/accept", (string id, HttpContext http, IClusterClient cluster) =>
            Grain(id, cluster).Accept(http.User.TradeCaller())).Fails(401, 403, 404, 409, 422);
        trades.MapPost("/{id}/decline", (string id, HttpContext http, IClusterClient cluster) =>
            Grain(id, cluster).Decline(http.User.TradeCaller())).Fails(401, 403, 404, 409);
        trades.MapPost("/{id}/withdraw", (string id, HttpContext http, IClusterClient cluster) =>
            Grain(id, cluster).Withdraw(http.User.TradeCaller())).Fails(401, 403, 404, 409);
        trades.MapGet("/{id}/safe-zones", (string id, HttpContext http, IClusterClient cluster) =>
            Grain(id, cluster).RecommendSafeZones(http.User.UserId())).Fails(401, 404, 409);
        trades.MapPost("/{id}/location", Location).RequireIdempotencyKey().Fails(400, 401, 403, 404, 409, 422);
        trades.MapPost("/{id}/time", (string id, TimeBody body, HttpContext http, IClusterClient cluster) =>
            Grain(id, cluster).ProposeTime(http.User.TradeCaller(), ProposedAt(body))).Fails(400, 401, 403, 404, 409);
        trades.MapPost("/{id}/time/accept", (string id, TimeBody body, HttpContext http, IClusterClient cluster) =>
            Grain(id, cluster).AcceptTime(http.User.TradeCaller(), ProposedAt(body))).RequireIdempotencyKey().Fails(400, 401, 403, 404, 409, 422);
        trades.MapPost("/{id}/hold", (string id, HttpContext http, IClusterClient cluster) =>
            Grain(id, cluster).Hold(http.User.TradeCaller())).RequireIdempotencyKey().Fails(400, 401, 403, 404, 409, 422);
        trades.MapGet("/{id}/meetup", (string id, HttpContext http, IClusterClient cluster) =>
            Grain(id, cluster).GetMeetup(http.User.UserId())).Fails(401, 404);
        trades.MapPost("/{id}/arrived", (string id, HttpContext http, IClusterClient cluster) =>
            Grain(id, cluster).Arrived(http.User.TradeCaller())).Fails(401, 403, 404, 409);
        trades.MapPost("/{id}/handoff", (string id, HttpContext http, IClusterClient cluster) =>
            Grain(id, cluster).Handoff(http.User.TradeCaller())).RequireIdempotencyKey().Fails(400, 401, 403, 404, 409);
        trades.MapPost("/{id}/reject-item", RejectItem).RequireIdempotencyKey().Fails(400, 401, 403, 404, 409);
        trades.MapPost("/{id}/cancel", (string id, CancelBody body, HttpContext http, IClusterClient cluster) =>
        {
            var rules = new RequestRules();
            var reason = rules.Required("reason", body.Reason);
            rules.ThrowIfInvalid();
            return Grain(id, cluster).Cancel(http.User.TradeCaller(), reason!);
        }).RequireIdempotencyKey().Fails(400, 401, 403, 404, 409);

        api.MapGet("/me/trades", Mine).WithTags("Trades").RequireAuthorization().Fails(400, 401);

        var admin = api.MapGroup("/admin/trades").WithTags("Moderation").RequireAuthorization(AuthSetup.ModeratorPolicy);
        admin.MapPost("/{id}/cancel", ModeratorCancel).RequireIdempotencyKey().Fails(400, 401, 403, 404, 409);
    }

    /// <summary>A malformed id is just an unknown trade (SPEC.md 8.1).</summary>
    private static ITradeGrain Grain(string id, IClusterClient cluster) =>
        Guid.TryParse(id, out var tradeId) ? cluster.GetGrain<ITradeGrain>(tradeId) : throw DomainException.NotFound();

    private static async Task<Created<TradeView>> Offer(OfferBody body, HttpContext http, IClusterClient cluster)
    {
        var rules = new RequestRules();
        var itemId = rules.Required("itemId", body.ItemId);
        var offer = rules.Money("offerMinor", body.OfferMinor);
        rules.ThrowIfInvalid();
        var tradeId = Guid.CreateVersion7();
        var trade = await cluster.GetGrain<ITradeGrain>(tradeId).Offer(new OfferRequest(http.User.UserId(), itemId!.Value, offer!.Value));
        return TypedResults.Created($"/api/v1/trades/{trade.Id}", trade);
    }

    private static Task<TradeView> Location(string id, LocationBody body, HttpContext http, IClusterClient cluster)
    {
        var rules = new RequestRules();
        var choice = rules.Required("choice", body.Choice);
        rules.ThrowIfInvalid();
        return Grain(id, cluster).PickLocation(http.User.TradeCaller(), new LocationChoice(choice!, body.SafeZoneId, body.Lat, body.Lng,
            body.AcknowledgeSafetyWarning == true, body.ConfirmDistance == true));
    }

    private static Task<TradeView> RejectItem(string id, RejectBody body, HttpContext http, IClusterClient cluster)
    {
        var rules = new RequestRules();
        var reason = rules.Required("reason", body.Reason);
        var details = rules.Length("details", body.Details, 0, 500);
        rules.ThrowIfInvalid();
        if (reason != NotAsDescribed)
            throw DomainException.Validation("reason", FieldCodes.UnknownValue, "reason is not_as_described.");
        return Grain(id, cluster).RejectItem(http.User.TradeCaller(), details);
    }

    private static Task<TradeView> ModeratorCancel(string id, ModeratorCancelBody body, HttpContext http, IClusterClient cluster)
    {
        var rules = new RequestRules();
        var note = rules.Length("note", rules.Required("note", body.Note), 10, 1000);
        rules.ThrowIfInvalid();
        var atFault = body.AtFault ?? "none";
        if (!ClosedSets.AtFaultValues.Contains(atFault))
            throw DomainException.Validation("atFault", FieldCodes.UnknownValue, "atFault is one of buyer, seller, none.");
        return Grain(id, cluster).CancelByModerator(http.User.UserId(), note!, atFault);
    }

    private static Task<TradePage> Mine(string? role, string? status, string? before, int? limit, HttpContext http, IClusterClient cluster)
    {
        var rules = new RequestRules();
        var size = rules.Range("limit", limit, 1, 100, 20);
        rules.ThrowIfInvalid();
        if (role is not (null or "buyer" or "seller"))
            throw DomainException.Validation("role", FieldCodes.UnknownValue, "role is buyer or seller.");
        var statuses = (status ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (statuses.FirstOrDefault(s => !Statuses.Contains(s)) is { } unknown)
            throw DomainException.Validation("status", FieldCodes.UnknownValue, $"Unknown status '{unknown}'.");
        return cluster.GetGrain<ITradeQueriesGrain>(0).ListMine(http.User.UserId(), role, statuses, before, size);
    }

    private static DateTimeOffset ProposedAt(TimeBody body) =>
        body.ProposedAt ?? throw DomainException.Validation("proposedAt", FieldCodes.Required, "proposedAt is required.");
}
