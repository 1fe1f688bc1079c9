using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NeXChange.Credits;

namespace NeXChange.Domain.Tests.Credits;

public class CreditOptionsTests
{
    private static ServiceProvider Services(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddCredits(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()).BuildServiceProvider();

    [Fact]
    public void limits_default_to_the_spec_values()
    {
        using var services = Services([]);
        var limits = services.GetRequiredService<IOptions<LimitOptions>>().Value;
        Assert.Equal(1_000_000, limits.SingleMovementMaxMinor);
        Assert.Equal(1, limits.TransferMinMinor);
        Assert.Equal(5_000_000, limits.DailyOutflowMinor);
        Assert.Equal(100, limits.DailyOutflowCount);
        Assert.Equal(10_000, services.GetRequiredService<IOptions<CreditOptions>>().Value.SignupGrantMinor);
    }

    [Fact]
    public void limits_are_read_from_configuration()
    {
        using var services = Services(new() { ["Limits:DailyOutflowCount"] = "7", ["Credits:SignupGrantMinor"] = "500" });
        Assert.Equal(7, services.GetRequiredService<IOptions<LimitOptions>>().Value.DailyOutflowCount);
        Assert.Equal(500, services.GetRequiredService<IOptions<CreditOptions>>().Value.SignupGrantMinor);
    }

    [Fact]
    public void a_non_positive_limit_is_refused()
    {
        using var services = Services(new() { ["Limits:DailyOutflowMinor"] = "0" });
        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<LimitOptions>>().Value);
    }

    [Fact]
    public void the_fee_policy_switch_selects_the_policy()
    {
        using var zero = Services(new() { ["Fees:Policy"] = "Zero" });
        Assert.IsType<ZeroFeePolicy>(zero.GetRequiredService<IFeePolicy>());
        using var standard = Services([]);
        Assert.IsType<DefaultFeePolicy>(standard.GetRequiredService<IFeePolicy>());
    }
}
