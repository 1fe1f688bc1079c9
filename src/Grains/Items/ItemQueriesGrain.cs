using NeXChange.Errors;
using NeXChange.Paging;
using NeXChange.Users;
using Orleans.Concurrency;

namespace NeXChange.Items;

/// <summary>Read-only lists over the items table; stateless, so every silo answers them locally.</summary>
[StatelessWorker]
public sealed class ItemQueriesGrain(ItemStore store, ItemViews views) : Grain, IItemQueriesGrain
{
    private static readonly HashSet<string> Statuses = new(StringComparer.Ordinal)
    {
        ItemStatuses.Draft, ItemStatuses.Active, ItemStatuses.Reserved, ItemStatuses.Traded, ItemStatuses.Archived, ItemStatuses.PendingReview,
    };

    public async Task<ItemPage> ListOwn(Guid ownerId, IReadOnlyList<string> statuses, string? before, int limit)
    {
        CheckLimit(limit);
        var unknown = statuses.FirstOrDefault(s => !Statuses.Contains(s));
        if (unknown is not null) throw DomainException.Validation("status", FieldCodes.UnknownValue, "status lists item statuses.");
        var scope = $"items:{ownerId}";
        Guid? beforeId = before is null ? null : new Guid(Cursor.Decode(scope, before, 16), bigEndian: true);
        var rows = await store.ListByOwnerAsync(ownerId, statuses, beforeId, limit + 1);
        var page = rows.Take(limit).ToList();
        return new ItemPage(page.Select(i => views.View(i, privileged: true)).ToList(),
            rows.Count > limit ? Cursor.Encode(scope, page[^1].Id.ToByteArray(bigEndian: true)) : null);
    }

    public async Task<ItemPage> ReviewQueue(string? before, int limit)
    {
        CheckLimit(limit);
        const string scope = "items:review";
        (DateTimeOffset, Guid)? after = before is null ? null : Cursor.DecodeTimeAndId(scope, before);
        var rows = await store.ReviewQueueAsync(after, limit + 1);
        var page = rows.Take(limit).ToList();
        string? next = null;
        if (rows.Count > limit)
        {
            var last = page[^1];
            next = Cursor.EncodeTimeAndId(scope, last.StatusChangedAt, last.Id);
        }
        return new ItemPage(page.Select(i => views.View(i, privileged: true)).ToList(), next);
    }

    public async Task<ItemCardPage> ListActiveBySeller(Guid sellerId, string? before, int limit)
    {
        CheckLimit(limit);
        var seller = await GrainFactory.GetGrain<IUserGrain>(sellerId).GetPublicProfile() ?? throw DomainException.NotFound();
        var scope = $"seller-items:{sellerId}";
        Guid? beforeId = before is null ? null : new Guid(Cursor.Decode(scope, before, 16), bigEndian: true);
        var rows = await store.ListByOwnerAsync(sellerId, [ItemStatuses.Active], beforeId, limit + 1);
        var page = rows.Take(limit).ToList();
        var lite = PublicProfileLite.Of(sellerId, seller);
        return new ItemCardPage(page.Select(i => views.Card(i, lite)).ToList(),
            rows.Count > limit ? Cursor.Encode(scope, page[^1].Id.ToByteArray(bigEndian: true)) : null);
    }

    private static void CheckLimit(int limit)
    {
        if (limit is < 1 or > 100) throw DomainException.Validation("limit", FieldCodes.OutOfRange, "limit must be between 1 and 100.");
    }
}
