namespace NeXChange.Search;

/// <summary>
/// The query parameters of <c>GET /items</c> (SPEC.md 5.1) exactly as received, unparsed: the grain side parses and
/// validates them so every front end reports the same field errors under the same parameter names.
/// </summary>
[GenerateSerializer, Alias("NeXChange.Search.SearchQuery")]
public sealed record SearchQuery(
    [property: Id(0)] string? Q = null,
    [property: Id(1)] string? Category = null,
    [property: Id(2)] string? Condition = null,
    [property: Id(3)] string? MinPriceMinor = null,
    [property: Id(4)] string? MaxPriceMinor = null,
    [property: Id(5)] string? Lat = null,
    [property: Id(6)] string? Lng = null,
    [property: Id(7)] string? RadiusKm = null,
    [property: Id(8)] string? RadiusMi = null,
    [property: Id(9)] string? VerifiedOnly = null,
    [property: Id(10)] string? Sort = null,
    [property: Id(11)] string? Page = null,
    [property: Id(12)] string? PageSize = null);
