using NeXChange.Images;

namespace NeXChange.Items;

/// <summary>Builds the API shape of items and photos (SPEC.md 4.1, 4.5) from stored rows.</summary>
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

    public PhotoView Photo(ItemPhoto photo, int position)
    {
        var links = photos.PublicUrls(new StoredPhoto(photo.Sha256, photo.Width, photo.Height, PhotoStore.ItemPrefix(photo.Sha256)));
        return new PhotoView(photo.Id, position, photo.Width, photo.Height, links.Urls, links.WebpUrls);
    }
}
