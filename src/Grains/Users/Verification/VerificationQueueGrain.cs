using System.Globalization;
using NeXChange.Images;
using NeXChange.Paging;
using NeXChange.Storage;
using Orleans.Concurrency;

namespace NeXChange.Users.Verification;

[StatelessWorker]
public sealed class VerificationQueueGrain(VerificationStore store, IBlobStore blobs) : Grain, IVerificationQueueGrain
{
    private const int PositionLength = 24;

    public async Task<VerificationPage> List(string status, string? before, int limit)
    {
        var scope = $"verifications:{status}";
        (DateTimeOffset, Guid)? after = null;
        if (before is not null)
        {
            var position = Cursor.Decode(scope, before, PositionLength);
            after = (new DateTimeOffset(BitConverter.ToInt64(position, 0), TimeSpan.Zero), new Guid(position.AsSpan(8, 16), bigEndian: true));
        }
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
            next = Cursor.Encode(scope, [.. BitConverter.GetBytes(last.SubmittedAt.UtcTicks), .. last.Id.ToByteArray(bigEndian: true)]);
        }
        return new VerificationPage(items, next);
    }
}
