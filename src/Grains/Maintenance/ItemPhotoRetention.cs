using Microsoft.Extensions.DependencyInjection;
using NeXChange.Hosting;
using NeXChange.Items;

namespace NeXChange.Maintenance;

/// <summary>
/// SPEC.md 3.11: item photos are kept 12 months after the item became archived or traded. Each due item purges its
/// own photo records through its grain (which caches the row and keeps the search projection); the blobs then
/// referenced by nothing are deleted by the orphan cleanup. The domain clock decides, so the dev clock reaches it.
/// </summary>
public sealed class ItemPhotoRetention(DueRows rows, IGrainFactory grains, [FromKeyedServices(Clocks.Domain)] TimeProvider time)
{
    public const int KeptMonths = 12;

    // Served by the items_photo_retention index (0020).
    private const string Due = """
        select status_changed_at, id from items
        where status in ('archived', 'traded') and not photos_purged and status_changed_at < $1
          and ($2::timestamptz is null or (status_changed_at, id) > ($2, $3))
        order by status_changed_at, id limit $4
        """;

    public Task<int> PurgeDueAsync()
    {
        var cutoff = time.GetUtcNow().AddMonths(-KeptMonths);
        return rows.SweepAsync(Due, cutoff, id => grains.GetGrain<IItemGrain>(id).PurgePhotos(cutoff));
    }
}
