using Microsoft.AspNetCore.Http.HttpResults;
using NeXChange.Api.Auth;
using NeXChange.Api.Idempotency;
using NeXChange.Api.OpenApi;
using NeXChange.Api.Validation;
using NeXChange.Errors;
using NeXChange.Trading;

namespace NeXChange.Api.Endpoints;

/// <summary>Disputes (SPEC.md 6.8, 8.4, 8.6): opened and answered by the parties, resolved by moderators.</summary>
public static class Disputes
{
    /// <summary>The JSON form; evidence images come only with the multipart form (fields reason, description, evidence files).</summary>
    public sealed record OpenBody(string? Reason, string? Description, IReadOnlyList<Guid>? Evidence = null);
    public sealed record ResponseBody(string? Description, IReadOnlyList<Guid>? Evidence = null);
    public sealed record ResolveBody(string? Resolution, long? RefundMinor = null, string? AtFault = null, string? Note = null);

    public static void Map(RouteGroupBuilder api)
    {
        var trades = api.MapGroup("/trades/{id}/dispute").WithTags("Disputes").RequireAuthorization();
        trades.MapPost("", Open).Accepts<OpenBody>("application/json", "multipart/form-data").Fails(400, 401, 403, 404, 409, 413, 415, 422, 503);
        trades.MapGet("", (string id, HttpContext http, IClusterClient cluster) =>
            Trade(id, cluster).GetDispute(http.User.TradeCaller())).Fails(401, 404);
        trades.MapPost("/response", Respond).Accepts<ResponseBody>("application/json", "multipart/form-data")
            .Fails(400, 401, 403, 404, 409, 413, 415, 422, 503);

        var admin = api.MapGroup("/admin/disputes").WithTags("Moderation").RequireAuthorization(AuthSetup.ModeratorPolicy);
        admin.MapGet("", Queue).Fails(400, 401, 403);
        admin.MapPost("/{id}/resolve", Resolve).RequireIdempotencyKey().Fails(400, 401, 403, 404, 409, 422);
    }

    private static ITradeGrain Trade(string id, IClusterClient cluster) =>
        Guid.TryParse(id, out var tradeId) ? cluster.GetGrain<ITradeGrain>(tradeId) : throw DomainException.NotFound();

    private static async Task<Created<DisputeView>> Open(string id, HttpContext http, IClusterClient cluster)
    {
        var form = await DisputeForm.Read(http, withReason: true);
        var rules = new RequestRules();
        var reason = rules.Required("reason", form.Reason);
        var description = rules.Length("description", rules.Required("description", form.Description), 20, 1000);
        rules.ThrowIfInvalid();
        if (!DisputeReasons.All.Contains(reason))
            throw DomainException.Validation("reason", FieldCodes.UnknownValue, $"reason is one of {string.Join(", ", DisputeReasons.All)}.");
        var dispute = await Trade(id, cluster).OpenDispute(http.User.TradeCaller(), reason!, new DisputeSubmission(description!, form.Evidence));
        return TypedResults.Created($"/api/v1/trades/{dispute.TradeId}/dispute", dispute);
    }

    private static async Task<DisputeView> Respond(string id, HttpContext http, IClusterClient cluster)
    {
        var form = await DisputeForm.Read(http, withReason: false);
        var rules = new RequestRules();
        var description = rules.Length("description", rules.Required("description", form.Description), 20, 1000);
        rules.ThrowIfInvalid();
        return await Trade(id, cluster).RespondToDispute(http.User.TradeCaller(), new DisputeSubmission(description!, form.Evidence));
    }

    private static async Task<DisputePage> Queue(string? status, bool? escalated, string? before, int? limit, IClusterClient cluster)
    {
        var rules = new RequestRules();
        var size = rules.Range("limit", limit, 1, 100, 20);
        rules.ThrowIfInvalid();
        if (status is not (null or "open" or "resolved"))
            throw DomainException.Validation("status", FieldCodes.UnknownValue, "status is open or resolved.");
        return await cluster.GetGrain<IDisputeQueueGrain>(0).List(status, escalated, before, size);
    }

    private static async Task<ResolvedDispute> Resolve(string id, ResolveBody body, HttpContext http, IClusterClient cluster)
    {
        if (!Guid.TryParse(id, out var disputeId)) throw DomainException.NotFound();
        var rules = new RequestRules();
        var resolution = rules.Required("resolution", body.Resolution);
        var refund = rules.Money("refundMinor", body.RefundMinor, required: false);
        var note = rules.Length("note", rules.Required("note", body.Note), 10, 1000);
        rules.ThrowIfInvalid();
        var atFault = body.AtFault ?? "none";
        if (!ClosedSets.AtFaultValues.Contains(atFault))
            throw DomainException.Validation("atFault", FieldCodes.UnknownValue, "atFault is one of buyer, seller, none.");
        var tradeId = await cluster.GetGrain<IDisputeQueueGrain>(0).TradeOf(disputeId);
        var resolved = await cluster.GetGrain<ITradeGrain>(tradeId).ResolveDispute(http.User.UserId(),
            new DisputeResolution(resolution!, refund, atFault, note!));
        return resolved;
    }

}
