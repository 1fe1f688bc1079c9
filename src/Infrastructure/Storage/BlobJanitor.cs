namespace NeXChange.Storage;

/// <summary>
/// Orphan cleanup (SPEC.md 4.5): deletes blobs under a prefix that no record references. Only blobs older than the
/// grace period go, so an upload whose record is still being written is never taken for an orphan.
/// </summary>
public sealed class BlobJanitor(IBlobStore store, TimeProvider time)
{
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromHours(24);

    /// <returns>How many blobs were deleted.</returns>
    public async Task<int> DeleteOrphansAsync(string prefix, Func<string, Task<bool>> isReferenced, TimeSpan olderThan,
        CancellationToken cancellationToken = default)
    {
        var cutoff = time.GetUtcNow() - olderThan;
        // Collect first: deleting while an S3 listing pages on can skip keys.
        var candidates = new List<string>();
        await foreach (var blob in store.ListAsync(prefix, cancellationToken))
            if (blob.LastModified < cutoff) candidates.Add(blob.Key);

        var deleted = 0;
        foreach (var key in candidates)
        {
            if (await isReferenced(key)) continue;
            await store.DeleteAsync(key, cancellationToken);
            deleted++;
        }
        return deleted;
    }
}
