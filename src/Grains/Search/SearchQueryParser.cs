using System.Globalization;
using NeXChange.Errors;

namespace NeXChange.Search;

/// <summary>
/// Parses and validates the parameters of <c>GET /items</c> (SPEC.md 5.1). Every broken rule is reported at once,
/// each under the query parameter's name. The category's existence is checked later, against the database.
/// </summary>
public static class SearchQueryParser
{
    public const int MaxQueryLength = 100;
    public const long MaxPriceMinor = 10_000_000;
    public const int MaxPageSize = 50;
    public const int MaxResultWindow = 1_000;
    public const double KmPerMile = 1.609344;

    /// <summary>Field code for two parameters that may not be given together (radiusKm and radiusMi).</summary>
    public const string ConflictingParameters = "conflicting_parameters";

    public static SearchCriteria Parse(SearchQuery query)
    {
        var errors = new List<FieldError>();

        var q = query.Q ?? "";
        if (q.Length > MaxQueryLength) errors.Add(new("q", FieldCodes.TooLong, $"At most {MaxQueryLength} characters."));
        // PostgreSQL text cannot hold NUL, and no control character means anything in a search.
        else if (q.Any(char.IsControl)) errors.Add(new("q", FieldCodes.InvalidFormat, "Control characters are not allowed."));

        Guid? category = null;
        if (!string.IsNullOrWhiteSpace(query.Category))
        {
            if (Guid.TryParse(query.Category, out var id)) category = id;
            else errors.Add(new("category", FieldCodes.InvalidFormat, "Must be a UUID."));
        }

        var conditions = new List<string>();
        foreach (var part in (query.Condition ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!ItemConditions.All.Contains(part, StringComparer.Ordinal))
            {
                errors.Add(new("condition", "unknown_value", $"Each value must be one of {string.Join(", ", ItemConditions.All)}."));
                break;
            }
            if (!conditions.Contains(part, StringComparer.Ordinal)) conditions.Add(part);
        }

        var minPrice = Price(query.MinPriceMinor, "minPriceMinor", errors);
        var maxPrice = Price(query.MaxPriceMinor, "maxPriceMinor", errors);
        if (minPrice is { } min && maxPrice is { } max && min > max)
            errors.Add(new("maxPriceMinor", FieldCodes.OutOfRange, "Must not be less than minPriceMinor."));

        var lat = Number(query.Lat, "lat", -90, 90, errors);
        var lng = Number(query.Lng, "lng", -180, 180, errors);
        if (Given(query.Lat) != Given(query.Lng))
            errors.Add(new(Given(query.Lat) ? "lng" : "lat", FieldCodes.Required, "lat and lng go together."));
        var point = lat is { } la && lng is { } ln ? new GeoPoint(la, ln) : null;

        double? radiusKm = null;
        string? radiusParam = null;
        if (Given(query.RadiusKm) && Given(query.RadiusMi))
            errors.Add(new("radiusMi", ConflictingParameters, "Give radiusKm or radiusMi, not both."));
        else if (Given(query.RadiusKm))
            (radiusKm, radiusParam) = (Number(query.RadiusKm, "radiusKm", 1, 160, errors), "radiusKm");
        else if (Given(query.RadiusMi))
            (radiusKm, radiusParam) = (Number(query.RadiusMi, "radiusMi", 1, 100, errors) * KmPerMile, "radiusMi");

        var verifiedOnly = false;
        if (Given(query.VerifiedOnly) && !bool.TryParse(query.VerifiedOnly, out verifiedOnly))
            errors.Add(new("verifiedOnly", FieldCodes.InvalidFormat, "Must be true or false."));

        var sort = Given(query.Sort) ? query.Sort! : SearchSorts.Relevance;
        if (!SearchSorts.All.Contains(sort, StringComparer.Ordinal))
            errors.Add(new("sort", "unknown_value", $"Must be one of {string.Join(", ", SearchSorts.All)}."));

        var page = Integer(query.Page, "page", 1, int.MaxValue, 1, errors);
        var pageSize = Integer(query.PageSize, "pageSize", 1, MaxPageSize, 20, errors);
        if (page is { } p && pageSize is { } s && (long)p * s > MaxResultWindow)
            errors.Add(new("page", FieldCodes.OutOfRange, $"page × pageSize must not exceed {MaxResultWindow}."));

        if (errors.Count > 0) throw DomainException.Validation([.. errors]);

        // The "needs a point" rule waits for the caller's area: SearchCriteria.WithFallbackPoint.
        return new SearchCriteria(q.Trim(), category, conditions, minPrice, maxPrice, point, radiusKm, radiusParam,
            verifiedOnly, sort, page!.Value, pageSize!.Value);
    }

    private static bool Given(string? value) => !string.IsNullOrWhiteSpace(value);

    private static long? Price(string? value, string field, List<FieldError> errors)
    {
        if (!Given(value)) return null;
        if (!long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var price))
        {
            errors.Add(new(field, FieldCodes.InvalidFormat, "Must be an integer."));
            return null;
        }
        if (price is >= 0 and <= MaxPriceMinor) return price;
        errors.Add(new(field, FieldCodes.OutOfRange, $"Must be between 0 and {MaxPriceMinor}."));
        return null;
    }

    private static double? Number(string? value, string field, double min, double max, List<FieldError> errors)
    {
        if (!Given(value)) return null;
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
        {
            errors.Add(new(field, FieldCodes.InvalidFormat, "Must be a decimal number."));
            return null;
        }
        if (number >= min && number <= max) return number;
        errors.Add(new(field, FieldCodes.OutOfRange, FormattableString.Invariant($"Must be between {min} and {max}.")));
        return null;
    }

    private static int? Integer(string? value, string field, int min, int max, int fallback, List<FieldError> errors)
    {
        if (!Given(value)) return fallback;
        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
        {
            errors.Add(new(field, FieldCodes.InvalidFormat, "Must be an integer."));
            return null;
        }
        if (number >= min && number <= max) return number;
        errors.Add(new(field, FieldCodes.OutOfRange, max == int.MaxValue ? $"Must be at least {min}." : $"Must be between {min} and {max}."));
        return null;
    }
}
