using System.IO.Compression;
using Microsoft.Extensions.Logging;
using NeXChange.Images;
using NeXChange.Storage;

namespace NeXChange.Privacy.Export;

/// <summary>
/// The <c>photos/</c> folder: the master (the full-size JPEG, SPEC.md 4.5) of the user's profile photo and of every
/// photo of the user's items, copied blob to ZIP entry as a stream. A master the store has lost is left out and its
/// data.json <c>file</c> is null; that should not happen, so it is logged.
/// </summary>
internal sealed class ArchivePhotos(IBlobStore blobs, ILogger logger)
{
    /// <summary>Copies the masters; returns how many were stored and what data.json must say about the files.</summary>
    public async Task<(int Stored, DataJson.PhotoFiles Files)> WriteAsync(ExportSnapshot snapshot, ZipArchive zip, Guid userId,
        CancellationToken cancellationToken)
    {
        var stored = 0;
        string? profilePath = null;
        await foreach (var photo in snapshot.RowsAsync(ExportQueries.ProfilePhoto, r =>
            new StoredPhoto(r.GetString(0), r.GetInt32(1), r.GetInt32(2), r.GetString(3)), [userId], cancellationToken))
        {
            if (!await CopyAsync(zip, photo.KeyOf(PhotoVariants.Master, PhotoFormat.Jpeg), ExportQueries.ProfilePhotoPath, cancellationToken)) continue;
            profilePath = ExportQueries.ProfilePhotoPath;
            stored++;
        }
        // Normally empty: only photos whose blob is gone.
        var missing = new List<string>();
        await foreach (var (photo, path) in snapshot.RowsAsync(ExportQueries.ItemPhotoMasters, r =>
            (new StoredPhoto(r.GetString(0), r.GetInt32(1), r.GetInt32(2), PhotoStore.ItemPrefix(r.GetString(0))), r.GetString(3)),
            [userId], cancellationToken))
        {
            if (await CopyAsync(zip, photo.KeyOf(PhotoVariants.Master, PhotoFormat.Jpeg), path, cancellationToken)) stored++;
            else missing.Add(path);
        }
        return (stored, new DataJson.PhotoFiles(profilePath, [.. missing]));
    }

    private async Task<bool> CopyAsync(ZipArchive zip, string key, string path, CancellationToken cancellationToken)
    {
        await using var blob = await blobs.GetAsync(key, cancellationToken);
        if (blob is null)
        {
            logger.LogWarning("Export: the photo blob {Key} is missing; {Path} is left out of the archive", key, path);
            return false;
        }
        // JPEG is compressed already: deflating it again costs CPU and saves nothing.
        var entry = zip.CreateEntry(path, CompressionLevel.NoCompression);
        await using var content = await entry.OpenAsync(cancellationToken);
        await blob.Content.CopyToAsync(content, cancellationToken);
        return true;
    }
}
