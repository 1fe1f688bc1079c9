using NeXChange.Items;
using NeXChange.Storage;

namespace NeXChange.Images;

/// <summary>
/// Processes uploads and keeps their variants under content-addressed keys (SPEC.md 4.5): item photos public under
/// <c>items/{sha256}/</c>, profile photos private under <c>private/profiles/{userId}/{sha256}/</c>. The same image
/// uploaded twice lands on the same keys, and variants already stored are not uploaded again.
/// </summary>
public sealed class PhotoStore(PhotoPipeline pipeline, IBlobStore blobs)
{
    public static readonly TimeSpan PrivateUrlLifetime = TimeSpan.FromHours(1);

    public static string ItemPrefix(string sha256) => $"items/{sha256}";
    public static string ProfilePrefix(Guid userId, string sha256) => $"private/profiles/{userId:N}/{sha256}";
    public static string EvidencePrefix(Guid tradeId, string sha256) => $"private/disputes/{tradeId:N}/{sha256}";

    /// <summary>Per request, not per content: a document sent again after a rejection outlives the old one's deletion.</summary>
    public static string VerificationPrefix(Guid userId, Guid requestId) => $"private/verifications/{userId:N}/{requestId:N}";

    public Task<StoredPhoto> StoreItemPhotoAsync(ReadOnlyMemory<byte> upload, CancellationToken cancellationToken = default) =>
        StoreAsync(upload, ItemPrefix, cancellationToken);

    public Task<StoredPhoto> StoreProfilePhotoAsync(Guid userId, ReadOnlyMemory<byte> upload, CancellationToken cancellationToken = default) =>
        StoreAsync(upload, sha => ProfilePrefix(userId, sha), cancellationToken);

    /// <summary>Dispute evidence (SPEC.md 6.8): private, shown to moderators through signed URLs only.</summary>
    public Task<StoredPhoto> StoreEvidenceAsync(Guid tradeId, ReadOnlyMemory<byte> upload, CancellationToken cancellationToken = default) =>
        StoreAsync(upload, sha => EvidencePrefix(tradeId, sha), cancellationToken);

    /// <summary>An identity document image (SPEC.md 3.8): re-encoded without metadata, private, for moderators only.</summary>
    public Task<StoredPhoto> StoreVerificationImageAsync(Guid userId, Guid requestId, ReadOnlyMemory<byte> upload, CancellationToken cancellationToken = default) =>
        StoreAsync(upload, _ => VerificationPrefix(userId, requestId), cancellationToken);

    /// <summary>
    /// Removes the photo's blobs. Item blobs are shared by every record holding the same image, so callers delete
    /// item photos only when no other record references the hash (or leave them to orphan cleanup).
    /// </summary>
    public async Task DeleteAsync(StoredPhoto photo, CancellationToken cancellationToken = default)
    {
        foreach (var key in photo.Keys) await blobs.DeleteAsync(key, cancellationToken);
    }

    /// <summary>Public URLs, for item photos.</summary>
    public PhotoLinks PublicUrls(StoredPhoto photo) => Links(photo, blobs.PublicUrl);

    /// <summary>Signed URLs valid for an hour, for private photos.</summary>
    public async Task<PhotoLinks> SignedUrlsAsync(StoredPhoto photo)
    {
        var urls = new Dictionary<string, string>();
        foreach (var key in photo.Keys) urls[key] = await blobs.SignedUrlAsync(key, PrivateUrlLifetime);
        return Links(photo, key => urls[key]);
    }

    private static PhotoLinks Links(StoredPhoto photo, Func<string, string> url)
    {
        string Of(string variant, PhotoFormat format) => url(photo.KeyOf(variant, format));
        return new PhotoLinks(
            new PhotoUrls(Of(PhotoVariants.Thumb, PhotoFormat.Jpeg), Of(PhotoVariants.W400, PhotoFormat.Jpeg),
                Of(PhotoVariants.W800, PhotoFormat.Jpeg), Of(PhotoVariants.Master, PhotoFormat.Jpeg)),
            new WebpUrls(Of(PhotoVariants.Thumb, PhotoFormat.WebP), Of(PhotoVariants.W400, PhotoFormat.WebP),
                Of(PhotoVariants.W800, PhotoFormat.WebP)));
    }

    private async Task<StoredPhoto> StoreAsync(ReadOnlyMemory<byte> upload, Func<string, string> prefixOf, CancellationToken cancellationToken)
    {
        var processed = await pipeline.ProcessAsync(upload, cancellationToken);
        var photo = new StoredPhoto(processed.Sha256, processed.Width, processed.Height, prefixOf(processed.Sha256));
        foreach (var variant in processed.Variants)
        {
            var key = photo.KeyOf(variant.Name, variant.Format);
            if (await blobs.ExistsAsync(key, cancellationToken)) continue;
            using var content = new MemoryStream(variant.Bytes, writable: false);
            await blobs.PutAsync(key, content, variant.Format.ContentType(), cancellationToken);
        }
        return photo;
    }
}
