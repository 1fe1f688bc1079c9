using NeXChange.Grains.Tests.Operations;
using NeXChange.Search;
using NeXChange.TestSupport;
using NeXChange.Trading;
using NeXChange.Trading.SafeZones;
using Npgsql;

namespace NeXChange.Grains.Tests.Trading;

/// <summary>
/// The directory trades use, over a real database: candidates come from the PostGIS index, the rules from
/// <see cref="SafeZoneRecommender"/>. Each test works around a city of its own, so they share the database safely.
/// Points lie on the city's meridian, where <c>m</c> miles north is exactly <c>m</c> miles away.
/// </summary>
public sealed class SafeZoneDirectoryTests(OperationsDatabase db) : IClassFixture<OperationsDatabase>
{
    /// <summary>When the zones were seeded: a stamp the directory never compares, so a fixed one.</summary>
    private static readonly DateTimeOffset Seeded = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private SafeZoneDirectory Directory => db.Get<SafeZoneDirectory>();

    private static GeoPoint North(GeoPoint origin, double miles) =>
        new(origin.Lat + miles * 1.609344 / (6371.0088 * Math.PI / 180), origin.Lng);

    private async Task<SafeZone> AddAsync(GeoPoint origin, double milesNorth, bool active = true, int tier = 3)
    {
        var point = North(origin, milesNorth);
        var zone = new SafeZone(Guid.CreateVersion7(), $"Zone {milesNorth} mi", "1 Main St, Somewhere", point.Lat, point.Lng, tier,
            tier == 1 ? "police_station" : "cafe", false, false, active);
        Assert.Equal(1, await db.Get<SafeZoneStore>().InsertMissingAsync([zone], Seeded));
        return zone;
    }

    /// <summary>Buyer 0.5 mi south, seller 0.5 mi north (the midpoint is the origin); the buyer views.</summary>
    private async Task ExpectAsync(GeoPoint origin, double radiusMi, params double[] buyerDistancesMi)
    {
        var buyer = North(origin, -0.5);
        var result = await Directory.RecommendAsync(buyer, North(origin, 0.5), buyer);
        Assert.Equal(radiusMi, result.RadiusMi);
        Assert.Equal(buyerDistancesMi, result.Items.Select(z => z.DistanceMi).Order());
    }

    [Fact]
    public async Task the_radius_widens_from_5_to_7_5_to_10_miles_and_stops_at_the_first_with_3_zones()
    {
        var chicago = new GeoPoint(41.88, -87.63);
        await AddAsync(chicago, 1);
        await AddAsync(chicago, -4);
        await AddAsync(chicago, 10.05);   // just outside the widest radius
        await ExpectAsync(chicago, 10, 1.5, 3.5);

        await AddAsync(chicago, 9.9);
        await ExpectAsync(chicago, 10, 1.5, 3.5, 10.4);

        await AddAsync(chicago, -7);
        await ExpectAsync(chicago, 7.5, 1.5, 3.5, 6.5);

        await AddAsync(chicago, 4.5);
        await ExpectAsync(chicago, 5, 1.5, 3.5, 5.0);
    }

    [Fact]
    public async Task inactive_zones_are_skipped_and_not_found()
    {
        var denver = new GeoPoint(39.74, -104.99);
        var inactive = await AddAsync(denver, 0.2, active: false);
        var active = await AddAsync(denver, 2);

        var result = await Directory.RecommendAsync(denver, denver, denver);

        Assert.Equal([active.Id], result.Items.Select(z => z.Id));
        Assert.Null(await Directory.FindActiveAsync(inactive.Id));
        Assert.Null(await Directory.FindActiveAsync(Guid.CreateVersion7()));
        Assert.Equal(active, await Directory.FindActiveAsync(active.Id));
    }

    [Fact]
    public async Task at_most_5_zones_are_recommended_safest_tier_first()
    {
        var seattle = new GeoPoint(47.61, -122.33);
        for (var i = 1; i <= 6; i++) await AddAsync(seattle, i * 0.5);
        var police = await AddAsync(seattle, 4, tier: 1);

        var result = await Directory.RecommendAsync(seattle, seattle, seattle);

        Assert.Equal(5, result.RadiusMi);
        Assert.Equal(5, result.Items.Count);
        Assert.Equal(police.Id, result.Items[0].Id);
        Assert.Equal([0.5, 1.0, 1.5, 2.0], result.Items.Skip(1).Select(z => z.DistanceMi));
    }

    [Fact]
    public async Task the_runtime_role_cannot_delete_a_zone_a_trade_may_point_at()
    {
        var zone = await AddAsync(new GeoPoint(25.76, -80.19), 1);

        var refusal = await Assert.ThrowsAsync<PostgresException>(() => Sql.ExecuteAsync(db.Postgres, "delete from safe_zones where id = $1", zone.Id));

        Assert.Equal("42501", refusal.SqlState);
        Assert.Equal(zone, await Directory.FindActiveAsync(zone.Id));
    }
}
