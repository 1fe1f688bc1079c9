using NeXChange.Users;

namespace NeXChange.Domain.Tests.Users;

public sealed class ZipTableTests
{
    private static readonly CensusZipGeocoder Geocoder = CensusZipGeocoder.Load();

    [Fact]
    public void the_bundled_table_covers_the_us_zip_code_tabulation_areas() => Assert.True(Geocoder.Count > 33000);

    [Theory]
    [InlineData("90210", 34.10, -118.41)]
    [InlineData("60601", 41.89, -87.62)]
    [InlineData("99501", 61.22, -149.86)]
    [InlineData("00601", 18.18, -66.75)]
    public void known_zips_resolve_to_their_rounded_centroid(string zip, double lat, double lng) =>
        Assert.Equal(new AreaPoint((decimal)lat, (decimal)lng), Geocoder.Locate(zip));
}
