using NeXChange.Search;

namespace NeXChange.Items;

/// <summary>What a rebuild did: items read, documents written, and documents that were already at the row's version.</summary>
public sealed record ProjectionRebuildCounts(long Items, long Written, long Current);

/// <summary>
/// Re-writes the search document of every item from the items table (DESIGN.md 4, operator CLI). It goes through the
/// index's version guard like the ItemGrain does, so it only fills missing or older rows, never undoes a newer write
/// of a live grain, and a second run writes nothing.
/// </summary>
public sealed class SearchProjectionRebuild(ItemStore items, ItemViews views, ISearchIndex search)
{
    private const int PageSize = 500;

    public async Task<ProjectionRebuildCounts> RunAsync(CancellationToken cancellationToken = default)
    {
        long read = 0, written = 0;
        Guid? after = null;
        while (true)
        {
            var page = await items.ListAfterAsync(after, PageSize);
            foreach (var item in page)
            {
                if (await search.UpsertAsync(views.SearchDocument(item), cancellationToken)) written++;
            }
            read += page.Count;
            if (page.Count < PageSize) return new ProjectionRebuildCounts(read, written, read - written);
            after = page[^1].Id;
        }
    }
}
