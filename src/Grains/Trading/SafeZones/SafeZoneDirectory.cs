using NeXChange.Search;

namespace NeXChange.Trading.SafeZones;

/// <summary>What trades ask of safe zones (SPEC.md 6.4): whether a picked zone may be used, and the recommendation.</summary>
public sealed class SafeZoneDirectory(SafeZoneStore store)
{
    /// <summary>The zone, or null when it is unknown or inactive.</summary>
    public async Task<SafeZone?> FindActiveAsync(Guid id) => await store.FindAsync(id) is { Active: true } zone ? zone : null;

    /// <summary>Up to five zones around the midpoint of both areas, with distances from <paramref name="viewer"/> only.</summary>
    public async Task<SafeZoneRecommendation> RecommendAsync(GeoPoint buyerArea, GeoPoint sellerArea, GeoPoint viewer)
    {
        var candidates = await store.ActiveNearAsync(SafeZoneRecommender.Midpoint(buyerArea, sellerArea), SafeZoneRecommender.MaxRadiusMi);
        return SafeZoneRecommender.Recommend(candidates, buyerArea, sellerArea, viewer);
    }
}
