using NeXChange.Errors;
using NeXChange.Images;

namespace NeXChange.Items;

/// <summary>Photos of an item (SPEC.md 4.5): 1-12 to publish, processed in the silo, blobs shared by identical images.</summary>
public sealed partial class ItemGrain
{
    public async Task<PhotoView> AddPhoto(Guid callerId, byte[] content)
    {
        var current = Editable(callerId);
        if (current.Photos.Count >= MaxPhotos)
            throw new DomainException(ErrorCodes.PhotoLimitReached, $"An item has at most {MaxPhotos} photos.");
        var stored = await photos.StoreItemPhotoAsync(content);
        var photo = new ItemPhoto(Guid.CreateVersion7(), stored.Sha256, stored.Width, stored.Height);
        await Commit(current with { Photos = [.. current.Photos, photo] });
        return views.Photo(photo, item!.Photos.Count - 1);
    }

    public async Task DeletePhoto(Guid callerId, Guid photoId)
    {
        var current = Editable(callerId);
        if (current.Photos.All(p => p.Id != photoId)) throw DomainException.NotFound();
        // A live listing keeps at least one photo: it would no longer meet its publish requirements.
        if (current.Photos.Count == 1 && current.Status is ItemStatuses.Active or ItemStatuses.PendingReview)
            throw ItemWorkflow.InvalidTransition(current.Status);
        // Blobs are content-addressed and may back other items' photos: the orphan job removes unreferenced ones.
        await Commit(current with { Photos = current.Photos.Where(p => p.Id != photoId).ToList() });
    }

    public async Task<IReadOnlyList<PhotoView>> ReorderPhotos(Guid callerId, IReadOnlyList<Guid> photoIds)
    {
        var current = Editable(callerId);
        var byId = current.Photos.ToDictionary(p => p.Id);
        if (photoIds.Count != byId.Count || photoIds.Distinct().Count() != photoIds.Count || !photoIds.All(byId.ContainsKey))
            throw DomainException.Validation("photoIds", FieldCodes.InvalidValue, "photoIds must list every photo of the item exactly once.");
        await Commit(current with { Photos = photoIds.Select(id => byId[id]).ToList() });
        return item!.Photos.Select(views.Photo).ToList();
    }

    public async Task<bool> PurgePhotos(DateTimeOffset finalBefore)
    {
        if (item is not { Status: ItemStatuses.Archived or ItemStatuses.Traded, PhotosPurged: false } current
            || current.StatusChangedAt >= finalBefore) return false;
        // Blobs may back other items' photos (content-addressed): the daily orphan job deletes the unreferenced ones.
        await Commit(current with { Photos = [], PhotosPurged = true });
        return true;
    }

    public async Task<IReadOnlyList<string>> EraseForOwnerDeletion()
    {
        if (item is not { } current) return [];
        var status = ItemWorkflow.Allows(current.Status, ItemWorkflow.Archive) ? ItemStatuses.Archived : current.Status;
        if (status == current.Status && current.Photos.Count == 0) return [];
        await Commit(current with { Status = status, Photos = [], PhotosPurged = current.PhotosPurged || current.Photos.Count > 0 });
        return current.Photos.Select(p => PhotoStore.ItemPrefix(p.Sha256)).ToList();
    }

    private ItemRecord Editable(Guid callerId)
    {
        var current = Owned(callerId);
        return ItemWorkflow.IsEditable(current.Status) ? current : throw ItemWorkflow.InvalidTransition(current.Status);
    }
}
