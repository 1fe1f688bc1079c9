namespace NeXChange.Items;

/// <summary>What the item writes into the search projection.</summary>
public sealed partial class ItemGrain
{
    private ItemView View(ItemRecord current, bool owner) => views.View(current, owner);

    /// <summary>
    /// Writes the current version into the search projection; the index's version guard makes a late or repeated
    /// write harmless. Non-active items are written too, so they leave the results at once.
    /// </summary>
    private async Task Project() => await search.UpsertAsync(views.SearchDocument(item!));
}
