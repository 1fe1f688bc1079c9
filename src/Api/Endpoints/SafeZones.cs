using Microsoft.AspNetCore.Http.HttpResults;
using NeXChange.Api.Auth;
using NeXChange.Api.OpenApi;
using NeXChange.Errors;
using NeXChange.Trading;

namespace NeXChange.Api.Endpoints;

/// <summary>Admin management of safe zones (SPEC.md 6.4, 8.6). Field and filter rules live in the grain.</summary>
public static class SafeZones
{
    private const int DefaultLimit = 20;

    public static void Map(RouteGroupBuilder api)
    {
        var admin = api.MapGroup("/admin/safe-zones").WithTags("Admin").RequireAuthorization(AuthSetup.AdminPolicy);
        admin.MapPost("", Create).Fails(400, 401, 403);
        admin.MapGet("", List).Fails(400, 401, 403);
        admin.MapGet("/{id}", Get).Fails(401, 403, 404);
        admin.MapPut("/{id}", Update).Fails(400, 401, 403, 404);
    }

    private static ISafeZoneAdminGrain Zones(IClusterClient cluster) => cluster.GetGrain<ISafeZoneAdminGrain>(0);

    private static async Task<Created<SafeZone>> Create(SafeZoneDraft body, HttpContext http, IClusterClient cluster)
    {
        var zone = await Zones(cluster).Create(http.User.UserId(), body);
        return TypedResults.Created($"/api/v1/admin/safe-zones/{zone.Id}", zone);
    }

    private static async Task<Ok<SafeZonePage>> List(double? lat, double? lng, double? radiusMi, string? before, int? limit, IClusterClient cluster) =>
        TypedResults.Ok(await Zones(cluster).List(lat, lng, radiusMi, before, limit ?? DefaultLimit));

    private static async Task<Ok<SafeZone>> Get(string id, IClusterClient cluster) =>
        TypedResults.Ok(await Zones(cluster).Get(ZoneId(id)));

    /// <summary>PUT replaces the whole zone, so every field is required, as in POST.</summary>
    private static async Task<Ok<SafeZone>> Update(string id, SafeZoneDraft body, HttpContext http, IClusterClient cluster) =>
        TypedResults.Ok(await Zones(cluster).Update(http.User.UserId(), ZoneId(id), body));

    private static Guid ZoneId(string id) => Guid.TryParse(id, out var zoneId) ? zoneId : throw DomainException.NotFound();
}
