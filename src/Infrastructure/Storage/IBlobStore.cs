namespace NeXChange.Storage;

/// <summary>
/// The blob store port (DESIGN.md 5): content-addressed photos and private documents. Keys are built by callers
/// and checked by <see cref="BlobKey"/>; a key that could escape the store is refused with an
/// <see cref="ArgumentException"/> before any I/O.
/// </summary>
public interface IBlobStore
{
    /// <summary>Writes (or replaces) the object; readers never see a partial write.</summary>
    Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken = default);

    /// <summary>The object, or null when there is none. The caller disposes it.</summary>
    Task<BlobObject?> GetAsync(string key, CancellationToken cancellationToken = default);

    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Removes the object; deleting a missing object is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Every object whose key starts with <paramref name="prefix"/> (plain string prefix, as S3 does).</summary>
    IAsyncEnumerable<BlobInfo> ListAsync(string prefix, CancellationToken cancellationToken = default);

    /// <summary><c>{Storage:PublicBaseUrl or App:PublicBaseUrl}/media/{key}</c> — for public objects only.</summary>
    string PublicUrl(string key);

    /// <summary>A URL that grants a GET of a private object until <paramref name="lifetime"/> has passed.</summary>
    Task<string> SignedUrlAsync(string key, TimeSpan lifetime);

    /// <summary>
    /// Checks a <c>/media/private/{key}?expires=&amp;sig=</c> request against the filesystem store's signing key. Stores
    /// whose signed URLs are checked elsewhere (S3 presigned URLs) answer false, so the API's media endpoint 404s.
    /// </summary>
    bool VerifySignature(string key, long expires, string signature);
}

/// <summary>A stored object being read; disposing it releases the file handle or HTTP response.</summary>
public sealed class BlobObject(Stream content, string contentType, long length) : IAsyncDisposable, IDisposable
{
    public Stream Content { get; } = content;
    public string ContentType { get; } = contentType;
    public long Length { get; } = length;

    public ValueTask DisposeAsync() => Content.DisposeAsync();
    public void Dispose() => Content.Dispose();
}

/// <summary>One listed object: what orphan cleanup needs to decide.</summary>
public sealed record BlobInfo(string Key, long Size, DateTimeOffset LastModified);
