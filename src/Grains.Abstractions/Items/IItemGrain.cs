using System.Text.Json.Serialization;

namespace NeXChange.Items;

/// <summary>
/// One listing: the single writer of its fields, photos, workflow (SPEC.md 4.3) and its one reservation. Keyed by
/// the item id (UUIDv7 chosen by the caller at creation). Visibility and ownership are checked here, so every
/// caller states who it acts for.
/// </summary>
public interface IItemGrain : IGrainWithGuidKey
{
    Task<ItemView> Create(Guid ownerId, ItemDraft draft);

    /// <summary>The item as <paramref name="viewer"/> may see it; not_found when it is not visible to them.</summary>
    Task<ItemView> Get(Viewer viewer);

    Task<ItemView> Update(Guid callerId, ItemPatch patch);

    Task<ItemView> Publish(Guid callerId);

    /// <summary>Owner or moderator archive (I6).</summary>
    Task<ItemView> Archive(Viewer caller);

    /// <summary>Moderator decision: approve (I5, or clears needsReview), archive (I6) or flag (I4).</summary>
    Task<ItemView> Review(Guid moderatorId, string action, string reason);

    Task<PhotoView> AddPhoto(Guid callerId, byte[] content);

    /// <summary>
    /// The owner's account is being deleted (SPEC.md 3.10): the item is archived unless it is reserved or traded, its
    /// photos are dropped (photosPurged), and the blob prefixes they used are returned for the caller to delete.
    /// Idempotent: a second call returns nothing.
    /// </summary>
    Task<IReadOnlyList<string>> EraseForOwnerDeletion();

    Task DeletePhoto(Guid callerId, Guid photoId);

    Task<IReadOnlyList<PhotoView>> ReorderPhotos(Guid callerId, IReadOnlyList<Guid> photoIds);

    /// <summary>
    /// Retention (SPEC.md 3.11): drops the photo records of an item that became archived or traded before
    /// <paramref name="finalBefore"/> and sets photosPurged; false when the item is not due or was purged already.
    /// </summary>
    Task<bool> PurgePhotos(DateTimeOffset finalBefore);

    /// <summary>
    /// I7: grants <paramref name="tradeId"/> the item's one reservation (a repeat by the same trade is granted
    /// again). Not granted: <see cref="Reservations.TakenByOther"/> or <see cref="Reservations.Unavailable"/>.
    /// </summary>
    Task<string> Reserve(Guid tradeId);

    /// <summary>I8, I9 or I10 for the trade holding the reservation; a repeat after it was applied does nothing.</summary>
    Task EndReservation(Guid tradeId, string itemAction);
}

public static class Reservations
{
    public const string Granted = "granted";
    public const string TakenByOther = "taken_by_other";
    public const string Unavailable = "unavailable";
}

/// <summary>Who is asking: anonymous (no user id), a user, or a moderator/admin.</summary>
[GenerateSerializer, Alias("NeXChange.Items.Viewer")]
public sealed record Viewer([property: Id(0)] Guid? UserId, [property: Id(1)] bool IsModerator)
{
    public static readonly Viewer Anonymous = new(null, false);
}

public static class ItemStatuses
{
    public const string Draft = "draft";
    public const string Active = "active";
    public const string Reserved = "reserved";
    public const string Traded = "traded";
    public const string Archived = "archived";
    public const string PendingReview = "pending_review";
}

public static class ReviewActions
{
    public const string Approve = "approve";
    public const string Archive = "archive";
    public const string Flag = "flag";
}

[GenerateSerializer, Alias("NeXChange.Items.ItemDraft")]
public sealed record ItemDraft(
    [property: Id(0)] string? Title,
    [property: Id(1)] string? Description,
    [property: Id(2)] Guid? CategoryId,
    [property: Id(3)] string? Condition,
    [property: Id(4)] long? PriceMinor,
    [property: Id(5)] IReadOnlyList<string>? Tags,
    [property: Id(6)] IReadOnlyDictionary<string, string>? Attributes,
    [property: Id(7)] string? KnownIssues);

/// <summary>
/// A PATCH: <see cref="Present"/> names the JSON properties the client sent (absent = unchanged); a present
/// property with a null value clears a nullable field and is refused for a required one.
/// </summary>
[GenerateSerializer, Alias("NeXChange.Items.ItemPatch")]
public sealed record ItemPatch(
    [property: Id(0)] ItemDraft Values,
    [property: Id(1)] IReadOnlySet<string> Present);

[GenerateSerializer, Alias("NeXChange.Items.PhotoView")]
public sealed record PhotoView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] int Position,
    [property: Id(2)] int Width,
    [property: Id(3)] int Height,
    [property: Id(4)] PhotoUrls Urls,
    [property: Id(5)] WebpUrls WebpUrls);

[GenerateSerializer, Alias("NeXChange.Items.PhotoUrls")]
public sealed record PhotoUrls([property: Id(0)] string Thumb, [property: Id(1)] string W400, [property: Id(2)] string W800, [property: Id(3)] string Master);

[GenerateSerializer, Alias("NeXChange.Items.WebpUrls")]
public sealed record WebpUrls([property: Id(0)] string Thumb, [property: Id(1)] string W400, [property: Id(2)] string W800);

/// <summary>
/// An item as SPEC.md 4.1 shows it. <see cref="NeedsReview"/>, <see cref="ReviewReason"/> and
/// <see cref="SafetyCheck"/> are filled only for the owner and moderators.
/// </summary>
[GenerateSerializer, Alias("NeXChange.Items.ItemView")]
public sealed record ItemView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid OwnerId,
    [property: Id(2)] string Title,
    [property: Id(3)] string Description,
    [property: Id(4)] Guid CategoryId,
    [property: Id(5)] string Condition,
    [property: Id(6)] long PriceMinor,
    [property: Id(7)] IReadOnlyList<string> Tags,
    [property: Id(8)] IReadOnlyDictionary<string, string> Attributes,
    [property: Id(9)] string KnownIssues,
    [property: Id(10)] string GeneralArea,
    [property: Id(11)] IReadOnlyList<PhotoView> Photos,
    [property: Id(12)] string Status,
    [property: Id(13)] DateTimeOffset CreatedAt,
    [property: Id(14)] DateTimeOffset UpdatedAt,
    [property: Id(15)] DateTimeOffset? PublishedAt,
    [property: Id(16)] bool PhotosPurged,
    [property: Id(17), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? NeedsReview,
    [property: Id(18), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ReviewReason,
    [property: Id(19), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SafetyCheck? SafetyCheck);
