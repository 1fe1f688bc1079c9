using System.Runtime.CompilerServices;

namespace NeXChange.Storage;

/// <summary>
/// The default store: one file per key under <c>&lt;Data:Dir&gt;/blobs</c>. Writes go to a temp file under the root's
/// <c>.tmp</c> folder (same filesystem) and are renamed into place, so a reader sees the old object or the new one,
/// never half of one. The content type is not stored: it follows from the key's extension, which callers always set.
/// </summary>
public sealed class FileSystemBlobStore : IBlobStore
{
    private const string TempFolder = ".tmp";
    private readonly string root;
    private readonly string publicBaseUrl;
    private readonly MediaUrlSigner signer;

    public FileSystemBlobStore(string root, string publicBaseUrl, MediaUrlSigner signer)
    {
        this.root = Path.GetFullPath(root);
        this.publicBaseUrl = publicBaseUrl.TrimEnd('/');
        this.signer = signer;
        PrivateFiles.CreateDirectory(Path.Combine(this.root, TempFolder));
    }

    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        var temp = Path.Combine(root, TempFolder, $"{Guid.NewGuid():N}.part");
        try
        {
            await using (var file = PrivateFiles.CreateNew(temp, 81920))
            {
                await content.CopyToAsync(file, cancellationToken);
                await file.FlushAsync(cancellationToken);
            }
            PrivateFiles.CreateDirectory(Path.GetDirectoryName(path)!);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public Task<BlobObject?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.Asynchronous);
            return Task.FromResult<BlobObject?>(new BlobObject(stream, ContentTypes.FromKey(key), stream.Length));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<BlobObject?>(null);
        }
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) =>
        Task.FromResult(File.Exists(PathOf(key)));

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            File.Delete(PathOf(key)); // no error when the file is missing
        }
        catch (DirectoryNotFoundException)
        {
            // nor when its folder is
        }
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<BlobInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        BlobKey.CheckPrefix(prefix);
        // Walk only the deepest folder the prefix fully names; the rest of the prefix filters file names.
        var folder = prefix.LastIndexOf('/') is var slash and >= 0 ? prefix[..slash] : "";
        var start = folder.Length == 0 ? root : Path.Combine(root, folder);
        if (!Directory.Exists(start)) yield break;
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden };
        foreach (var path in Directory.EnumerateFiles(start, "*", options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var key = Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/');
            if (!key.StartsWith(prefix, StringComparison.Ordinal) || !BlobKey.IsValid(key)) continue;
            var info = new FileInfo(path);
            if (!info.Exists) continue; // deleted while listing
            yield return new BlobInfo(key, info.Length, info.LastWriteTimeUtc);
        }
        await Task.CompletedTask;
    }

    public string PublicUrl(string key) => $"{publicBaseUrl}/media/{BlobKey.Check(key)}";

    public Task<string> SignedUrlAsync(string key, TimeSpan lifetime) =>
        Task.FromResult(signer.SignedUrl(publicBaseUrl, BlobKey.Check(key), lifetime));

    public bool VerifySignature(string key, long expires, string signature) => signer.Verify(key, expires, signature);

    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(root, BlobKey.Check(key)));
        // BlobKey already rules out escapes; this second check keeps a future change to it from opening the root.
        return path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new ArgumentException("Invalid blob key.", nameof(key));
    }
}
