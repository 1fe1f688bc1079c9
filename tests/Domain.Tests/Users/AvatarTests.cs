using NeXChange.Users;

namespace NeXChange.Domain.Tests.Users;

public sealed class AvatarTests
{
    [Theory]
    [InlineData("SwiftEagle_7432", 6, "#0891B2", "SE")]
    [InlineData("CalmOtter_1000", 9, "#4F46E5", "CO")]
    [InlineData("BraveFox_9999", 8, "#EA580C", "BF")]
    public void colour_and_initials_follow_the_frozen_vectors(string name, int index, string colour, string initials)
    {
        Assert.Equal(index, Avatar.ColourIndex(name));
        Assert.Equal(initials, Avatar.Initials(name));
        var svg = Avatar.Svg(name, 64);
        Assert.Contains($"fill=\"{colour}\"", svg, StringComparison.Ordinal);
        Assert.Contains($">{initials}</text>", svg, StringComparison.Ordinal);
    }

    [Fact]
    public void corner_radius_is_an_eighth_and_the_font_forty_percent_of_the_size()
    {
        var svg = Avatar.Svg("SwiftEagle_7432", 100);
        Assert.Contains("rx=\"12.5\"", svg, StringComparison.Ordinal);
        Assert.Contains("font-size=\"40\"", svg, StringComparison.Ordinal);
        Assert.Contains("width=\"100\"", svg, StringComparison.Ordinal);
    }
}
