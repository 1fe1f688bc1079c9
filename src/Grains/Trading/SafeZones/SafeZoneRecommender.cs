using NeXChange.Search;

namespace NeXChange.Trading.SafeZones;

/// <summary>
/// The recommendation of SPEC.md 6.4 over candidate zones already fetched: the widening radius around the midpoint
/// of both parties' areas, fairness, the ordering, and what the viewer is shown (their own distances only).
/// </summary>
public static class SafeZoneRecommender
{
    public const double KmPerMile = 1.609344;
    public const int MaxItems = 5;
    public const int EnoughZones = 3;
    public const double ConfirmationMi = 5;
    public static readonly IReadOnlyList<double> RadiiMi = [5, 7.5, 10];

    public static double MaxRadiusMi => RadiiMi[^1];

    public static GeoPoint Midpoint(GeoPoint a, GeoPoint b) => new((a.Lat + b.Lat) / 2, (a.Lng + b.Lng) / 2);

    public static double DistanceMi(GeoPoint a, GeoPoint b) => RankingSignals.HaversineKm(a, b) / KmPerMile;

    /// <summary>min(dA, dB) / max(dA, dB): 1 when the zone is as far from one party as from the other, and when both are 0.</summary>
    public static double Fairness(double distanceA, double distanceB) =>
        Math.Max(distanceA, distanceB) == 0 ? 1 : Math.Min(distanceA, distanceB) / Math.Max(distanceA, distanceB);

    public static SafeZoneRecommendation Recommend(IEnumerable<SafeZone> candidates, GeoPoint buyerArea, GeoPoint sellerArea, GeoPoint viewer)
    {
        var midpoint = Midpoint(buyerArea, sellerArea);
        var active = candidates.Where(z => z.Active)
            .Select(z => (Zone: z, Point: new GeoPoint(z.Lat, z.Lng)))
            .Select(z => (z.Zone, z.Point, FromMidpoint: DistanceMi(midpoint, z.Point)))
            .ToList();
        var radius = RadiiMi.First(r => r == MaxRadiusMi || active.Count(z => z.FromMidpoint <= r) >= EnoughZones);
        var items = active.Where(z => z.FromMidpoint <= radius)
            .OrderBy(z => z.Zone.Tier)
            .ThenByDescending(z => Fairness(DistanceMi(buyerArea, z.Point), DistanceMi(sellerArea, z.Point)))
            .ThenBy(z => z.FromMidpoint)
            // "id asc" as clients and PostgreSQL order ids: by their lower-case text.
            .ThenBy(z => z.Zone.Id.ToString(), StringComparer.Ordinal)
            .Take(MaxItems)
            .Select(z => Shown(z.Zone, DistanceMi(viewer, z.Point)))
            .ToList();
        return new SafeZoneRecommendation(radius, items);
    }

    private static RecommendedZone Shown(SafeZone zone, double fromViewerMi) =>
        new(zone.Id, zone.Name, zone.Address, zone.Tier, zone.Kind, zone.Open24h, zone.DaylightOnly, zone.Lat, zone.Lng,
            (double)Math.Round((decimal)fromViewerMi, 1, MidpointRounding.AwayFromZero), fromViewerMi > ConfirmationMi);
}
