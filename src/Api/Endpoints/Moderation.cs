using Microsoft.AspNetCore.Http.HttpResults;
using NeXChange.Api.Auth;
using NeXChange.Api.OpenApi;
using NeXChange.Api.Validation;
using NeXChange.Errors;
using NeXChange.Items;

namespace NeXChange.Api.Endpoints;

/// <summary>The item review queue and moderator decisions (SPEC.md 4.3-4.4, 8.6).</summary>
public static class Moderation
{
    public sealed record ReviewRequest(string? Action, string? Reason);

    public static void Map(RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin/items").WithTags("Moderation").RequireAuthorization(AuthSetup.ModeratorPolicy);
        admin.MapGet("/review", Queue).Fails(400, 401, 403);
        admin.MapPost("/{id}/review", Review).Fails(400, 401, 403, 404, 409);
    }

    private static async Task<Ok<ItemPage>> Queue(string? before, int? limit, IClusterClient cluster)
    {
        var rules = new RequestRules();
        var size = rules.Range("limit", limit, 1, 100, 20);
        rules.ThrowIfInvalid();
        return TypedResults.Ok(await cluster.GetGrain<IItemQueriesGrain>(0).ReviewQueue(before, size));
    }

    private static async Task<Ok<ItemView>> Review(string id, ReviewRequest body, HttpContext http, IClusterClient cluster)
    {
        if (!Guid.TryParse(id, out var itemId)) throw DomainException.NotFound();
        var rules = new RequestRules();
        var action = rules.Required("action", body.Action);
        var reason = rules.Required("reason", body.Reason);
        rules.ThrowIfInvalid();
        return TypedResults.Ok(await cluster.GetGrain<IItemGrain>(itemId).Review(http.User.UserId(), action!, reason!));
    }
}
