using System.IO.Compression;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NeXChange.Hosting;
using NeXChange.Storage;
using Npgsql;

namespace NeXChange.Privacy.Export;

/// <summary>
/// Builds a user's data-subject archive (SPEC.md 3.10: export and port): a ZIP with <c>data.json</c> and
/// <c>photos/</c>, written to the private blob store as <c>application/zip</c>. The ZIP is built in a temp file from
/// one database snapshot, rows and blobs streamed through, so memory stays flat however much the user owns; then the
/// file is uploaded. Writing the same key again replaces the archive, so a job that crashed half-way simply reruns.
/// </summary>
public sealed class DataExportWriter(
    NpgsqlDataSource dataSource,
    IBlobStore blobs,
    IConfiguration configuration,
    [FromKeyedServices(Clocks.Domain)] TimeProvider time,
    ILogger<DataExportWriter> logger)
{
    public const string DataJsonPath = "data.json";

    private readonly string tempFolder = Path.Combine(configuration.DataDir(), "tmp");

    public async Task<ExportResult> WriteAsync(Guid userId, string blobKey, CancellationToken cancellationToken)
    {
        // The filesystem store types an object by its key's extension, so an archive's key must end in .zip.
        if (!BlobKey.IsValid(blobKey) || ContentTypes.FromKey(blobKey) != ContentTypes.Zip)
            throw new ArgumentException("An archive key must be a valid blob key ending in .zip.", nameof(blobKey));
        await using var file = ExportTempFile.Create(tempFolder);
        int photos;
        IReadOnlyDictionary<string, int> sections;
        await using (var snapshot = await ExportSnapshot.OpenAsync(dataSource, cancellationToken))
        await using (var zip = await ZipArchive.CreateAsync(file, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken))
        {
            // Photos first: data.json then names only the files really in the archive.
            (photos, var files) = await new ArchivePhotos(blobs, logger).WriteAsync(snapshot, zip, userId, cancellationToken);
            await using var data = await zip.CreateEntry(DataJsonPath, CompressionLevel.Optimal).OpenAsync(cancellationToken);
            sections = await DataJson.WriteAsync(snapshot, data, userId, files, time.GetUtcNow(), cancellationToken);
        }
        var size = file.Length;
        file.Position = 0;
        await blobs.PutAsync(blobKey, file, ContentTypes.Zip, cancellationToken);
        logger.LogInformation("Export of {UserId} written to {Key}: {Bytes} bytes, {Photos} photos", userId, blobKey, size, photos);
        return new ExportResult(size, photos, sections);
    }
}
