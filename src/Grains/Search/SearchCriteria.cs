using NeXChange.Errors;

namespace NeXChange.Search;

/// <summary>A coarse point in degrees.</summary>
public sealed record GeoPoint(double Lat, double Lng);

public static class SearchSorts
{
    public const string Relevance = "relevance";
    public const string Newest = "newest";
    public const string PriceAsc = "price_asc";
    public const string PriceDesc = "price_desc";
    public const string Distance = "distance";

    public static readonly IReadOnlyList<string> All = [Relevance, Newest, PriceAsc, PriceDesc, Distance];
}

public static class ItemConditions
{
    public static readonly IReadOnlyList<string> All = ["new", "like_new", "good", "fair", "poor"];
}

/// <summary>
/// A parsed and validated <see cref="SearchQuery"/>. <see cref="RadiusParam"/> names the parameter the radius came
/// from, so a missing point is reported against what the client sent.
/// </summary>
public sealed record SearchCriteria(
    string Q,
    Guid? CategoryId,
    IReadOnlyList<string> Conditions,
    long? MinPriceMinor,
    long? MaxPriceMinor,
    GeoPoint? Point,
    double? RadiusKm,
    string? RadiusParam,
    bool VerifiedOnly,
    string Sort,
    int Page,
    int PageSize)
{
    /// <summary>The explicit point wins; else the caller's area; a radius or distance sort without either is refused.</summary>
    public SearchCriteria WithFallbackPoint(GeoPoint? callerArea)
    {
        var resolved = this with { Point = Point ?? callerArea };
        if (resolved.Point is not null) return resolved;
        var errors = new List<FieldError>();
        if (RadiusParam is not null)
            errors.Add(new(RadiusParam, FieldCodes.Required, "A radius needs a search point: lat and lng, or a signed-in caller with an area."));
        if (Sort == SearchSorts.Distance)
            errors.Add(new("sort", FieldCodes.Required, "Sorting by distance needs a search point: lat and lng, or a signed-in caller with an area."));
        return errors.Count == 0 ? resolved : throw DomainException.Validation([.. errors]);
    }
}
