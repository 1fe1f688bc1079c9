namespace NeXChange.Trading;

/// <summary>A public meeting place (SPEC.md 6.4), managed by admins.</summary>
[GenerateSerializer, Alias("NeXChange.Trading.SafeZone")]
public sealed record SafeZone(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Address,
    [property: Id(3)] double Lat,
    [property: Id(4)] double Lng,
    [property: Id(5)] int Tier,
    [property: Id(6)] string Kind,
    [property: Id(7)] bool Open24h,
    [property: Id(8)] bool DaylightOnly,
    [property: Id(9)] bool Active);

/// <summary>A safe zone as POST and PUT receive it: every field is required, nulls are reported per field.</summary>
[GenerateSerializer, Alias("NeXChange.Trading.SafeZoneDraft")]
public sealed record SafeZoneDraft(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Address,
    [property: Id(2)] double? Lat,
    [property: Id(3)] double? Lng,
    [property: Id(4)] int? Tier,
    [property: Id(5)] string? Kind,
    [property: Id(6)] bool? Open24h,
    [property: Id(7)] bool? DaylightOnly,
    [property: Id(8)] bool? Active);

[GenerateSerializer, Alias("NeXChange.Trading.SafeZonePage")]
public sealed record SafeZonePage([property: Id(0)] IReadOnlyList<SafeZone> Items, [property: Id(1)] string? NextBefore);

/// <summary>One recommended zone as the caller sees it: distances from the caller's own area only.</summary>
[GenerateSerializer, Alias("NeXChange.Trading.RecommendedZone")]
public sealed record RecommendedZone(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Address,
    [property: Id(3)] int Tier,
    [property: Id(4)] string Kind,
    [property: Id(5)] bool Open24h,
    [property: Id(6)] bool DaylightOnly,
    [property: Id(7)] double Lat,
    [property: Id(8)] double Lng,
    [property: Id(9)] double DistanceMi,
    [property: Id(10)] bool RequiresDistanceConfirmation);

/// <summary>GET /trades/{id}/safe-zones (SPEC.md 6.4); the midpoint and the partner's distances are never in it.</summary>
[GenerateSerializer, Alias("NeXChange.Trading.SafeZoneRecommendation")]
public sealed record SafeZoneRecommendation([property: Id(0)] double RadiusMi, [property: Id(1)] IReadOnlyList<RecommendedZone> Items);

/// <summary>Admin management of safe zones (SPEC.md 8.6); stateless, any silo answers.</summary>
public interface ISafeZoneAdminGrain : IGrainWithIntegerKey
{
    Task<SafeZone> Create(Guid adminId, SafeZoneDraft draft);

    /// <summary>The zone (active or not); not_found when it does not exist.</summary>
    Task<SafeZone> Get(Guid id);

    /// <summary>Replaces every field of zone <paramref name="id"/>; not_found when it does not exist.</summary>
    Task<SafeZone> Update(Guid adminId, Guid id, SafeZoneDraft draft);

    /// <summary>All zones (active or not), newest first; with a point and radius only those within it.</summary>
    Task<SafeZonePage> List(double? lat, double? lng, double? radiusMi, string? before, int limit);
}
