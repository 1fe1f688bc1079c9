using NeXChange.Search;
using NeXChange.Users;
using NeXChange.Images;

namespace NeXChange.Items;

/// <summary>Builds the API shape of items and photos (SPEC.md 4.1, 4.5) and the search document from stored rows.</summary>
public sealed class ItemViews(PhotoStore photos)
{
    /// <summary><paramref name="privileged"/>: the owner or a moderator, who also see the review fields.</summary>
    public ItemView View(ItemRecord item, bool privileged)
    {
        var f = item.Fields;
        return new ItemView(item.Id, item.OwnerId, f.Title, f.Description, f.CategoryId, f.Condition, f.PriceMinor, f.Tags,
            f.Attributes, f.KnownIssues, item.GeneralArea, item.Photos.Select(Photo).ToList(), item.Status,
            item.CreatedAt, item.UpdatedAt, item.PublishedAt, item.PhotosPurged,
            privileged ? item.NeedsReview : null, privileged ? item.ReviewReason : null, privileged ? item.SafetyCheck : null);
    }

    /// <summary>The row as the search projection holds it; the ItemGrain and <see cref="SearchProjectionRebuild"/> both write this.</summary>
    public ItemSearchDocument SearchDocument(ItemRecord item)
    {
        var f = item.Fields;
        var cover = item.Photos.Count > 0 ? Photo(item.Photos[0], 0) : null;
        return new ItemSearchDocument(item.Id, item.Version, item.OwnerId, item.Status, f.Title, f.Description, f.Tags, f.CategoryId,
            f.Condition, f.PriceMinor, (double)(item.AreaLat ?? 0), (double)(item.AreaLng ?? 0), item.Photos.Count,
            cover?.Urls.Thumb, cover?.Urls.W400, cover?.WebpUrls.Thumb, cover?.WebpUrls.W400, item.GeneralArea, item.PublishedAt);
    }

    /// <summary>The list card of an item (SPEC.md 5.1) outside search: no distance, no score.</summary>
    public ItemCard Card(ItemRecord item, PublicProfileLite seller)
    {
        var cover = item.Photos.Count > 0 ? Photo(item.Photos[0], 0) : null;
        return new ItemCard(item.Id, item.Fields.Title, item.Fields.PriceMinor, item.Fields.Condition, item.Fields.CategoryId,
            cover is null ? null : new CoverPhoto(cover.Urls.Thumb, cover.Urls.W400, cover.WebpUrls.Thumb, cover.WebpUrls.W400),
            item.Photos.Count, item.GeneralArea, null, seller, item.PublishedAt ?? item.CreatedAt, null);
    }

    public PhotoView Photo(ItemPhoto photo, int position)
    {
        var links = photos.PublicUrls(new StoredPhoto(photo.Sha256, photo.Width, photo.Height, PhotoStore.ItemPrefix(photo.Sha256)));
        return new PhotoView(photo.Id, position, photo.Width, photo.Height, links.Urls, links.WebpUrls);
    }
}
