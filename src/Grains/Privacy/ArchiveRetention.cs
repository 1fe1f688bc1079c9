using Microsoft.Extensions.DependencyInjection;
using NeXChange.Hosting;
using NeXChange.Storage;

namespace NeXChange.Privacy;

/// <summary>
/// Export and port archives are deleted 7 days after completion (SPEC.md 3.11); the request keeps its record. Run by
/// the daily maintenance job; idempotent. Download links already refuse an archive past its expiry before this runs.
/// </summary>
public sealed class ArchiveRetention(DataRequestStore store, IBlobStore blobs, [FromKeyedServices(Clocks.Domain)] TimeProvider time)
{
    private const int Batch = 500;

    public async Task<int> DeleteExpiredAsync()
    {
        var deleted = 0;
        while (true)
        {
            var due = await store.ExpiredArchivesAsync(time.GetUtcNow(), Batch);
            if (due.Count == 0) return deleted;
            foreach (var (id, key) in due)
            {
                // The blob first: a crash in between leaves a key whose blob is gone, and the next run deletes it again harmlessly.
                await blobs.DeleteAsync(key);
                await store.ForgetArchiveAsync(id);
            }
            deleted += due.Count;
        }
    }
}
