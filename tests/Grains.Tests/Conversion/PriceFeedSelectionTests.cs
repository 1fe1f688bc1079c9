using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NeXChange.Conversion;
using NeXChange.Hosting;

namespace NeXChange.Grains.Tests.Conversion;

/// <summary><c>Conversion:Feed</c>: the sandbox outside Production, the HTTP source in it, and a clear stop when its URL is missing.</summary>
public sealed class PriceFeedSelectionTests
{
    private static ServiceProvider Services(string environment, Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = environment });
        services.AddKeyedSingleton<TimeProvider>(Clocks.Domain, new FakeTimeProvider());
        services.AddConversion(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void outside_production_the_sandbox_is_the_default()
    {
        using var services = Services("Local", []);
        Assert.IsType<SandboxPriceFeed>(services.GetRequiredService<IPriceFeed>());
    }

    [Fact]
    public void in_production_the_http_source_is_the_default_and_needs_its_url()
    {
        using var missing = Services("Production", []);
        var refused = Assert.Throws<InvalidOperationException>(() => missing.GetRequiredService<IPriceFeed>());
        Assert.Contains("Conversion:PriceFeedUrl", refused.Message);

        using var configured = Services("Production", new() { ["Conversion:PriceFeedUrl"] = "https://prices.example/btc" });
        Assert.IsType<HttpPriceFeed>(configured.GetRequiredService<IPriceFeed>());
    }

    [Fact]
    public void the_setting_overrides_the_environment()
    {
        using var sandbox = Services("Production", new() { ["Conversion:Feed"] = "Sandbox" });
        Assert.IsType<SandboxPriceFeed>(sandbox.GetRequiredService<IPriceFeed>());
        using var http = Services("Local", new() { ["Conversion:Feed"] = "Http", ["Conversion:PriceFeedUrl"] = "http://127.0.0.1:9/price" });
        Assert.IsType<HttpPriceFeed>(http.GetRequiredService<IPriceFeed>());
    }

    [Theory]
    [InlineData("Http", null, "5")]
    [InlineData("Http", "ftp://prices.example/btc", "5")]
    [InlineData("Sandbox", "not a url", "5")]
    [InlineData("Sandbox", null, "0")]
    [InlineData("Sandbox", null, "10")]
    public void invalid_settings_are_refused(string feed, string? url, string timeout)
    {
        using var services = Services("Local", new() { ["Conversion:Feed"] = feed, ["Conversion:PriceFeedUrl"] = url, ["Conversion:PriceFeedTimeoutSeconds"] = timeout });
        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<ConversionOptions>>().Value);
    }
}
