using Microsoft.Extensions.Configuration;
using NeXChange.Items.Safety;

namespace NeXChange.Domain.Tests.Items.Safety;

public sealed class RecallKeyTests
{
    private static readonly Guid Category = Guid.Parse("0190a5c4-0000-7000-8000-000000000001");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void an_item_without_a_brand_has_no_key(string? brand)
    {
        Assert.Null(RecallKey.Of(Category, brand, "rx-200"));
    }

    [Fact]
    public void brand_and_model_are_trimmed_and_lower_cased_and_a_missing_model_is_empty()
    {
        Assert.Equal(new RecallKey(Category, "acme", "rx-200"), RecallKey.Of(Category, "  ACME ", " Rx-200\t"));
        Assert.Equal(new RecallKey(Category, "acme", ""), RecallKey.Of(Category, "Acme", null));
    }

    [Fact]
    public void colons_in_brand_or_model_cannot_make_two_keys_collide()
    {
        var a = new RecallKey(Category, "a:b", "c").RedisKey("recall:");
        var b = new RecallKey(Category, "a", "b:c").RedisKey("recall:");

        Assert.NotEqual(a, b);
        Assert.StartsWith($"recall:{Category:N}:", a, StringComparison.Ordinal);
    }

    [Fact]
    public void settings_default_to_the_spec_and_the_data_folder()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Data:Dir"] = "/srv/nexchange" }).Build();

        var settings = SafetySettings.FromConfiguration(configuration);

        Assert.Equal(
            new SafetySettings(null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5),
                "/srv/nexchange/recalls.csv", TimeSpan.FromMinutes(5), "recall:"),
            settings);
    }

    [Fact]
    public void a_duration_setting_that_is_not_a_duration_stops_the_host_naming_the_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Safety:RecallApi:Timeout"] = "5s" }).Build();

        var e = Assert.Throws<InvalidOperationException>(() => SafetySettings.FromConfiguration(configuration));

        Assert.Contains("Safety:RecallApi:Timeout", e.Message, StringComparison.Ordinal);
    }
}
