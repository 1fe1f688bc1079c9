using NeXChange.Api.Auth;
using NeXChange.Api.OpenApi;
using NeXChange.Errors;
using NeXChange.Users;

namespace NeXChange.Api.Endpoints;

/// <summary>Public profiles (SPEC.md 3.6): the same projection for everyone, no private fields.</summary>
public static class Users
{
    /// <summary>A seller's active listings, newest first (SPEC.md 8.2).</summary>
    private static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<NeXChange.Items.ItemCardPage>> SellerItems(
        string id, string? before, int? limit, IClusterClient cluster)
    {
        if (!Guid.TryParse(id, out var userId)) throw DomainException.NotFound();
        var rules = new Validation.RequestRules();
        var size = rules.Range("limit", limit, 1, 100, 20);
        rules.ThrowIfInvalid();
        return TypedResults.Ok(await cluster.GetGrain<NeXChange.Items.IItemQueriesGrain>(0).ListActiveBySeller(userId, before, size));
    }

    /// <summary>Deterministic SVG (SPEC.md 3.5), cacheable for a day; the ETag follows the name and size.</summary>
    private static async Task<IResult> AvatarSvg(string id, int? size, HttpContext http, IClusterClient cluster)
    {
        if (!Guid.TryParse(id, out var userId)) throw DomainException.NotFound();
        var pixels = size ?? Avatar.DefaultSize;
        if (pixels is < Avatar.MinSize or > Avatar.MaxSize)
            throw DomainException.Validation("size", FieldCodes.OutOfRange, $"size must be between {Avatar.MinSize} and {Avatar.MaxSize}.");
        var profile = await cluster.GetGrain<IUserGrain>(userId).GetPublicProfile() ?? throw DomainException.NotFound();
        var etag = $"\"{profile.DisplayName}-{pixels}\"";
        http.Response.Headers.CacheControl = "public, max-age=86400";
        http.Response.Headers.ETag = etag;
        if (http.Request.Headers.IfNoneMatch.ToString() == etag) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Text(Avatar.Svg(profile.DisplayName, pixels), "image/svg+xml");
    }

    /// <summary>The profile photo of a trade counterparty while escrow is held (SPEC.md 3.7); 404 in every other case.</summary>
    private static async Task<Microsoft.AspNetCore.Http.HttpResults.Ok<Trading.PhotoGrant>> Photo(
        string id, string? tradeId, HttpContext http, IClusterClient cluster)
    {
        if (!Guid.TryParse(id, out var subjectId) || !Guid.TryParse(tradeId, out var trade)) throw DomainException.NotFound();
        return TypedResults.Ok(await cluster.GetGrain<Trading.ITradeGrain>(trade).RevealPhoto(http.User.UserId(), subjectId));
    }

    public static void Map(RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users");
        users.MapGet("/{id}", async (string id, IClusterClient cluster) =>
        {
            // A malformed id is just an unknown resource (SPEC.md 8.1).
            if (!Guid.TryParse(id, out var userId)) throw DomainException.NotFound();
            var profile = await cluster.GetGrain<IUserGrain>(userId).GetPublicProfile() ?? throw DomainException.NotFound();
            return TypedResults.Ok(PublicProfileView.From(profile));
        }).Fails(404);
        users.MapGet("/{id}/avatar.svg", AvatarSvg).Produces<string>(StatusCodes.Status200OK, "image/svg+xml")
            .Produces(StatusCodes.Status304NotModified).Fails(400, 404);
        users.MapGet("/{id}/items", SellerItems).Fails(400, 404);
        users.MapGet("/{id}/photo", Photo).RequireAuthorization().RequireVerifiedEmail().Fails(401, 403, 404);
    }
}
