namespace NeXChange.Search;

/// <summary>
/// What the ItemGrain writes into the search projection after each state change. <see cref="Lat"/>/<see cref="Lng"/>
/// are the item's coarse point (already rounded to 2 decimals); they are stored for distance only and never returned.
/// </summary>
public sealed record ItemSearchDocument(
    Guid ItemId,
    long Version,
    Guid OwnerId,
    string Status,
    string Title,
    string Description,
    IReadOnlyList<string> Tags,
    Guid CategoryId,
    string Condition,
    long PriceMinor,
    double Lat,
    double Lng,
    int PhotoCount,
    string? CoverThumb,
    string? CoverW400,
    string? CoverThumbWebp,
    string? CoverW400Webp,
    string GeneralArea,
    DateTimeOffset? PublishedAt);
