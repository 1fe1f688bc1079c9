using NeXChange.Search;

namespace NeXChange.Items;

/// <summary>What the item writes into the search projection.</summary>
public sealed partial class ItemGrain
{
    private ItemView View(ItemRecord current, bool owner) => views.View(current, owner);

    /// <summary>
    /// Writes the current version into the search projection; the index's version guard makes a late or repeated
    /// write harmless. Non-active items are written too, so they leave the results at once.
    /// </summary>
    private async Task Project()
    {
        var current = item!;
        var f = current.Fields;
        var cover = current.Photos.Count > 0 ? views.Photo(current.Photos[0], 0) : null;
        await search.UpsertAsync(new ItemSearchDocument(current.Id, current.Version, current.OwnerId, current.Status, f.Title,
            f.Description, f.Tags, f.CategoryId, f.Condition, f.PriceMinor, (double)(current.AreaLat ?? 0), (double)(current.AreaLng ?? 0),
            current.Photos.Count, cover?.Urls.Thumb, cover?.Urls.W400, cover?.WebpUrls.Thumb, cover?.WebpUrls.W400,
            current.GeneralArea, current.PublishedAt));
    }
}
