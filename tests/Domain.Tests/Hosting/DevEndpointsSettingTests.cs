using Microsoft.Extensions.Configuration;
using NeXChange.Hosting;

namespace NeXChange.Domain.Tests.Hosting;

public sealed class DevEndpointsSettingTests
{
    private static IConfiguration With(string? value) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Dev:Endpoints"] = value }).Build();

    [Theory]
    [InlineData(null, "Production", false)]
    [InlineData("false", "Production", false)]
    [InlineData("true", "Local", true)]
    [InlineData("true", "Test", true)]
    [InlineData("not-a-bool", "Local", false)]
    public void the_dev_endpoints_are_on_only_when_set_true(string? value, string environment, bool expected) =>
        Assert.Equal(expected, With(value).DevEndpoints(environment));

    [Theory]
    [InlineData("Production")]
    [InlineData("production")]
    public void a_host_in_production_refuses_the_dev_endpoints_and_names_the_setting(string environment)
    {
        var refusal = Assert.Throws<InvalidOperationException>(() => With("true").DevEndpoints(environment));
        Assert.Contains("NEXCHANGE__Dev__Endpoints", refusal.Message);
    }
}
