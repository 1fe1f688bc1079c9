namespace NeXChange.Items;

/// <summary>A stored photo of an item; its blobs are content-addressed by <see cref="Sha256"/>. List order is the position.</summary>
public sealed record ItemPhoto(Guid Id, string Sha256, int Width, int Height);

/// <summary>One row of the items table, as the ItemGrain caches it.</summary>
public sealed record ItemRecord(
    Guid Id,
    Guid OwnerId,
    string Status,
    ItemFields Fields,
    string GeneralArea,
    decimal? AreaLat,
    decimal? AreaLng,
    IReadOnlyList<ItemPhoto> Photos,
    bool PhotosPurged,
    bool NeedsReview,
    string? ReviewReason,
    SafetyCheck? SafetyCheck,
    Guid? ReservedByTrade,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? PublishedAt,
    DateTimeOffset StatusChangedAt);
