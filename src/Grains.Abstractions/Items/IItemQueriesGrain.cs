namespace NeXChange.Items;

/// <summary>Lists across items that no single item grain can answer (owner lists, moderation queue).</summary>
public interface IItemQueriesGrain : IGrainWithIntegerKey
{
    /// <summary>The owner's items, newest first, optionally only some statuses.</summary>
    Task<ItemPage> ListOwn(Guid ownerId, IReadOnlyList<string> statuses, string? before, int limit);

    /// <summary>Items in pending_review or flagged needsReview, oldest first (moderators).</summary>
    Task<ItemPage> ReviewQueue(string? before, int limit);

    /// <summary>A seller's active items as cards, newest first; not_found for an unknown or deleted user.</summary>
    Task<ItemCardPage> ListActiveBySeller(Guid sellerId, string? before, int limit);
}

[GenerateSerializer, Alias("NeXChange.Items.ItemCardPage")]
public sealed record ItemCardPage([property: Id(0)] IReadOnlyList<Search.ItemCard> Items, [property: Id(1)] string? NextBefore);

[GenerateSerializer, Alias("NeXChange.Items.ItemPage")]
public sealed record ItemPage([property: Id(0)] IReadOnlyList<ItemView> Items, [property: Id(1)] string? NextBefore);
