namespace NeXChange.Users;

/// <summary>A point rounded to 2 decimals (~1 km): precise enough for search radii, too coarse to find a home.</summary>
public readonly record struct AreaPoint(decimal Lat, decimal Lng);

/// <summary>The geocoding port: a 5-digit US ZIP to its area point, or null when the ZIP is unknown.</summary>
public interface IZipGeocoder
{
    AreaPoint? Locate(string zipCode);
}
