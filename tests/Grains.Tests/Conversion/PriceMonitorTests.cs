using NeXChange.Conversion;
using NeXChange.Errors;
using Orleans.Core.Internal;

namespace NeXChange.Grains.Tests.Conversion;

/// <summary>The sampler and breaker grain (SPEC.md 7.1, 7.2) driven by the sandbox feed and a fake clock.</summary>
public sealed class PriceMonitorTests(PriceMonitorCluster cluster) : IClassFixture<PriceMonitorCluster>
{
    private IPriceMonitorGrain Monitor => cluster.Grains.GetGrain<IPriceMonitorGrain>(0);

    /// <summary>A steady sandbox price and a window holding nothing else: 5 minutes and a second later, sampled anew.</summary>
    private async Task CalmAsync()
    {
        await Monitor.SetSandboxPrice(SandboxPriceFeed.DefaultMidMinorPerBtc, null);
        cluster.Clock.Advance(TimeSpan.FromSeconds(301));
        Assert.Equal(BreakerStatuses.Normal, (await Monitor.SetSandboxPrice(SandboxPriceFeed.DefaultMidMinorPerBtc, null)).Status);
    }

    [Fact]
    public async Task a_volatility_pause_counts_down_its_five_minutes_and_then_lifts()
    {
        await CalmAsync();
        var tripped = await Monitor.SetSandboxPrice(10_600_000, null);
        Assert.Equal(new ConversionStatus(BreakerStatuses.Paused, BreakerReasons.Volatility, 10_600_000, cluster.Clock.GetUtcNow(), 300), tripped);

        cluster.Clock.Advance(TimeSpan.FromSeconds(60));
        // A further swing inside the pause neither extends nor shortens it.
        var later = await Monitor.SetSandboxPrice(10_000_000, null);
        Assert.Equal((BreakerStatuses.Paused, BreakerReasons.Volatility, 240L), (later.Status, later.Reason, later.RetryAfterSeconds));

        cluster.Clock.Advance(TimeSpan.FromSeconds(301));
        var after = await Monitor.SetSandboxPrice(10_000_000, null);
        Assert.Equal(new ConversionStatus(BreakerStatuses.Normal, null, 10_000_000, cluster.Clock.GetUtcNow(), null), after);
    }

    [Fact]
    public async Task a_volatility_pause_outlives_the_activation_that_tripped_it()
    {
        await CalmAsync();
        Assert.Equal(BreakerStatuses.Paused, (await Monitor.SetSandboxPrice(10_600_000, null)).Status);
        await Monitor.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        cluster.Clock.Advance(TimeSpan.FromSeconds(100));

        // The new activation's window holds a single fresh sample: only the stored pause can still say paused.
        var status = await Monitor.GetStatus();
        Assert.Equal((BreakerStatuses.Paused, BreakerReasons.Volatility, 200L), (status.Status, status.Reason, status.RetryAfterSeconds));
    }

    [Fact]
    public async Task a_feed_that_stops_observing_degrades_after_30_seconds_and_pauses_after_120()
    {
        await CalmAsync();
        var observedAt = cluster.Clock.GetUtcNow();
        await Monitor.SetSandboxPrice(10_000_000, observedAt);
        cluster.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(new ConversionStatus(BreakerStatuses.Degraded, BreakerReasons.StaleFeed, 10_000_000, observedAt, null), await Monitor.GetStatus());
        cluster.Clock.Advance(TimeSpan.FromSeconds(90));
        Assert.Equal(new ConversionStatus(BreakerStatuses.Paused, BreakerReasons.StaleFeed, 10_000_000, observedAt, 30), await Monitor.GetStatus());

        // The feed observing again ends it.
        Assert.Equal(BreakerStatuses.Normal, (await Monitor.SetSandboxPrice(10_000_000, null)).Status);
    }

    [Fact]
    public async Task the_dev_price_refuses_an_implausible_price_or_an_observation_from_the_future()
    {
        foreach (var mid in new[] { 0L, -1L, PriceLimits.MaxMidMinorPerBtc + 1 })
        {
            var refused = await Assert.ThrowsAsync<DomainException>(() => Monitor.SetSandboxPrice(mid, null));
            Assert.Equal("midMinorPerBtc", Assert.Single(refused.Errors).Field);
        }
        var future = await Assert.ThrowsAsync<DomainException>(() => Monitor.SetSandboxPrice(10_000_000, cluster.Clock.GetUtcNow().AddSeconds(1)));
        Assert.Equal("observedAt", Assert.Single(future.Errors).Field);
    }
}
