using NeXChange.Search;
using NeXChange.Trading;
using NeXChange.Trading.SafeZones;

namespace NeXChange.Domain.Tests.Trading;

/// <summary>
/// Vectors computed by hand: every point lies on the meridian 87.63° W, where the haversine is exactly R·Δφ, so a
/// zone placed <c>m</c> miles north of the origin is <c>m</c> miles from it (R = 6 371.0088 km, 1 mi = 1.609344 km).
/// </summary>
public sealed class SafeZoneRecommenderTests
{
    private const double Lng = -87.63;
    private const double OriginLat = 41.88;
    private static readonly GeoPoint Origin = North(0);

    private static GeoPoint North(double miles) => new(OriginLat + miles * 1.609344 / (6371.0088 * Math.PI / 180), Lng);

    private static SafeZone Zone(GeoPoint point, int tier = 3, bool active = true, Guid? id = null) =>
        new(id ?? Guid.CreateVersion7(), "A zone", "1 Main St, Chicago", point.Lat, point.Lng, tier, "cafe", false, false, active);

    private static SafeZone Zone(double milesNorth, bool active = true) => Zone(North(milesNorth), active: active);

    private static SafeZoneRecommendation AroundOrigin(params SafeZone[] zones) => SafeZoneRecommender.Recommend(zones, Origin, Origin, Origin);

    [Theory]
    [InlineData(0, 0, 1)]
    [InlineData(3, 3, 1)]
    [InlineData(2, 4, 0.5)]
    [InlineData(4, 1, 0.25)]
    [InlineData(0, 4, 0)]
    public void fairness_is_the_nearer_over_the_farther_distance_and_1_when_both_are_0(double a, double b, double expected) =>
        Assert.Equal(expected, SafeZoneRecommender.Fairness(a, b), 12);

    [Fact]
    public void the_midpoint_averages_latitudes_and_longitudes() =>
        Assert.Equal(new GeoPoint(41, -87), SafeZoneRecommender.Midpoint(new GeoPoint(40, -88), new GeoPoint(42, -86)));

    [Fact]
    public void three_zones_within_5_miles_stop_the_search_at_5()
    {
        var result = AroundOrigin(Zone(1), Zone(2), Zone(4.9), Zone(6));
        Assert.Equal(5, result.RadiusMi);
        Assert.Equal([1.0, 2.0, 4.9], result.Items.Select(z => z.DistanceMi));
    }

    [Fact]
    public void fewer_than_3_within_5_miles_widen_to_7_5_and_then_to_10()
    {
        Assert.Equal((7.5, 3), Summary(AroundOrigin(Zone(1), Zone(4), Zone(7.4), Zone(9))));
        Assert.Equal((10, 3), Summary(AroundOrigin(Zone(1), Zone(4), Zone(9.9), Zone(10.1))));
    }

    [Fact]
    public void at_10_miles_whatever_exists_is_returned_possibly_nothing()
    {
        Assert.Equal((10, 1), Summary(AroundOrigin(Zone(2), Zone(10.5))));
        Assert.Equal((10, 0), Summary(AroundOrigin(Zone(12))));
        Assert.Equal((10, 0), Summary(AroundOrigin()));
    }

    [Fact]
    public void inactive_zones_neither_count_towards_a_radius_nor_appear()
    {
        var inactive = Zone(2, active: false);
        var result = AroundOrigin(Zone(1), inactive, Zone(3), Zone(6));
        Assert.Equal(7.5, result.RadiusMi);
        Assert.DoesNotContain(result.Items, z => z.Id == inactive.Id);
    }

    [Fact]
    public void tier_comes_before_fairness_and_fairness_before_distance_from_the_midpoint()
    {
        // Buyer 2 mi south of the origin, seller 2 mi north: the midpoint is the origin.
        var buyer = North(-2);
        var seller = North(2);
        var tier1Unfair = Zone(North(1.5), tier: 1);           // dA 3.5, dB 0.5: fairness 1/7, but tier 1
        var east = Zone(new GeoPoint(OriginLat, Lng + 0.05), tier: 2);   // as far from both (fairness ~1), ~2.6 mi from M
        var south = Zone(North(-1), tier: 2);                   // dA 1, dB 3: fairness 1/3, 1 mi from M
        var farSouth = Zone(North(-1.5), tier: 2);              // dA 0.5, dB 3.5: fairness 1/7

        var result = SafeZoneRecommender.Recommend([farSouth, south, east, tier1Unfair], buyer, seller, buyer);

        Assert.Equal([tier1Unfair.Id, east.Id, south.Id, farSouth.Id], result.Items.Select(z => z.Id));
    }

    [Fact]
    public void equally_fair_zones_order_by_distance_from_the_midpoint_then_by_id()
    {
        // Both parties at the origin: every zone is exactly as far from one as from the other.
        var low = Zone(North(1), id: new Guid("0aaaaaaa-0000-7000-8000-000000000000"));
        var high = Zone(North(1), id: new Guid("f0000000-0000-7000-8000-000000000000"));
        var nearer = Zone(North(0.5), id: new Guid("ffffffff-ffff-7fff-bfff-ffffffffffff"));
        var farther = Zone(North(2), id: new Guid("00000000-0000-7000-8000-000000000000"));

        var result = AroundOrigin(farther, high, nearer, low);

        Assert.Equal([nearer.Id, low.Id, high.Id, farther.Id], result.Items.Select(z => z.Id));
    }

    [Fact]
    public void at_most_5_zones_are_returned()
    {
        var result = AroundOrigin([.. Enumerable.Range(1, 7).Select(i => Zone(i * 0.5))]);
        Assert.Equal([0.5, 1.0, 1.5, 2.0, 2.5], result.Items.Select(z => z.DistanceMi));
    }

    [Fact]
    public void distances_are_the_viewers_own_rounded_to_1_decimal_and_beyond_5_miles_need_confirmation()
    {
        // Buyer at the origin, seller 8 mi north: the midpoint is 4 mi north.
        var buyer = Origin;
        var seller = North(8);
        // 5.04 mi shows as 5.0 yet needs confirmation; 4.96 mi shows as 5.0 and does not.
        var zones = new[] { Zone(3.04), Zone(4), Zone(5.04), Zone(7.96) };

        var forBuyer = SafeZoneRecommender.Recommend(zones, buyer, seller, buyer).Items.OrderBy(z => z.Lat).ToList();
        var forSeller = SafeZoneRecommender.Recommend(zones, buyer, seller, seller).Items.OrderBy(z => z.Lat).ToList();

        Assert.Equal([3.0, 4.0, 5.0, 8.0], forBuyer.Select(z => z.DistanceMi));
        Assert.Equal([false, false, true, true], forBuyer.Select(z => z.RequiresDistanceConfirmation));
        Assert.Equal([5.0, 4.0, 3.0, 0.0], forSeller.Select(z => z.DistanceMi));
        Assert.Equal([false, false, false, false], forSeller.Select(z => z.RequiresDistanceConfirmation));
    }

    private static (double Radius, int Count) Summary(SafeZoneRecommendation result) => (result.RadiusMi, result.Items.Count);
}
