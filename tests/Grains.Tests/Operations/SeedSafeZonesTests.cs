using NeXChange.Silo.Commands;

namespace NeXChange.Grains.Tests.Operations;

public class SeedSafeZonesTests(OperationsDatabase db) : IClassFixture<OperationsDatabase>
{
    [Fact]
    public async Task seeding_twice_adds_a_few_hundred_zones_once_through_the_silo_executable()
    {
        var first = await db.RunSiloAsync("", "seed-safe-zones");
        var count = await db.ScalarAsync<long>("select count(*) from safe_zones");
        var second = await db.RunSiloAsync("", "seed-safe-zones");

        Assert.Equal(0, first.ExitCode);
        Assert.InRange(count, 200, 500);
        Assert.Equal($"safe zones: {count} added, {count} in total", first.Output.Trim());
        Assert.Equal(0, second.ExitCode);
        Assert.Equal($"safe zones: 0 added, {count} in total", second.Output.Trim());
        Assert.Equal(count, await db.ScalarAsync<long>("select count(*) from safe_zones"));
        // The generator spreads its zones over every tier.
        Assert.Equal(4L, await db.ScalarAsync<long>("select count(distinct tier) from safe_zones"));
    }
}
