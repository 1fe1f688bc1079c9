using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NeXChange.Hosting;
using NeXChange.TestSupport;

namespace NeXChange.Grains.Tests.Conversion;

/// <summary>
/// A cluster on the sandbox feed whose domain clock is fake: the sampler's real 10-second timer only re-reads the
/// observation of the fake "now", which adds nothing new until a test moves the clock or sets a price.
/// </summary>
public sealed class PriceMonitorCluster : TestCluster
{
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Conversion:Feed"] = "Sandbox" };

    protected override void ConfigureServices(IServiceCollection services) =>
        services.AddKeyedSingleton<TimeProvider>(Clocks.Domain, Clock);
}
