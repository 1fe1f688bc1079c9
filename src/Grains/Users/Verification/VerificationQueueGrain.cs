using System.Globalization;
using NeXChange.Images;
using NeXChange.Paging;
using NeXChange.Storage;
using Orleans.Concurrency;

namespace NeXChange.Users.Verification;

[StatelessWorker]
public sealed class VerificationQueueGrain(VerificationStore store, IBlobStore blobs) : Grain, IVerificationQueueGrain
{
    public async Task<VerificationPage> List(string status, string? before, int limit)
    {
        var scope = $"verifications:{status}";
        (DateTimeOffset, Guid)? after = before is null ? null : Cursor.DecodeTimeAndId(scope, before);
        var rows = await store.QueueAsync(status, after, limit + 1);
        var page = rows.Take(limit).ToList();
        var items = new List<VerificationQueueItem>(page.Count);
        foreach (var row in page)
            items.Add(new VerificationQueueItem(row.UserId, row.DisplayName, row.FullName,
                row.DateOfBirth?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), row.DocumentType, row.SubmittedAt, row.Status,
                row.DocumentKey is { } key ? await blobs.SignedUrlAsync(key, PhotoStore.PrivateUrlLifetime) : null));
        string? next = null;
        if (rows.Count > limit)
        {
            var last = page[^1];
            next = Cursor.EncodeTimeAndId(scope, last.SubmittedAt, last.Id);
        }
        return new VerificationPage(items, next);
    }
}
