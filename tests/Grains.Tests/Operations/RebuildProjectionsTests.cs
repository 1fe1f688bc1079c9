using NeXChange.Items;
using NeXChange.Search;
using NeXChange.Silo.Commands;
using NeXChange.Users;

namespace NeXChange.Grains.Tests.Operations;

public class RebuildProjectionsTests(OperationsDatabase db) : IClassFixture<OperationsDatabase>
{
    /// <summary>When the items were listed: the projection copies these dates and compares none of them.</summary>
    private static readonly DateTimeOffset Listed = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private async Task<string> RebuildAsync()
    {
        var (code, output, _) = await db.RunCliAsync(["rebuild-projections"]);
        Assert.Equal(ExitCodes.Ok, code);
        return output.Trim();
    }

    private async Task<ItemRecord> SaveItemAsync(Guid ownerId, Guid categoryId, string title)
    {
        var fields = new ItemFields(title, new string('d', 60), categoryId, "good", 2_500, ["lamp"], new Dictionary<string, string>(), "");
        var item = new ItemRecord(Guid.CreateVersion7(), ownerId, ItemStatuses.Active, fields, "Chicago area", 41.88m, -87.63m, [],
            false, false, null, null, null, 1, Listed, Listed, Listed, Listed);
        Assert.True(await db.Get<ItemStore>().SaveAsync(item, previousVersion: null));
        return item;
    }

    [Fact]
    public async Task a_rebuild_restores_deleted_and_stale_search_rows_and_a_second_run_writes_nothing()
    {
        var owner = await db.Get<AdminProvisioning>().CreateAsync("lister@example.test", "Tr0ub4dor&3-horse");
        var categoryId = Guid.CreateVersion7();
        await db.ScalarAsync<object>(
            "insert into categories (id, name, slug, created_at, updated_at) values ($1, 'Lamps', 'lamps', now(), now())", categoryId);
        var items = db.Get<ItemStore>();
        var views = db.Get<ItemViews>();
        var search = db.Get<ISearchIndex>();
        var kept = await SaveItemAsync(owner.UserId, categoryId, "Brass desk lamp, working");
        var deleted = await SaveItemAsync(owner.UserId, categoryId, "Green banker lamp");
        var stale = await SaveItemAsync(owner.UserId, categoryId, "Paper floor lamp, tall");
        foreach (var item in new[] { kept, deleted, stale }) await search.UpsertAsync(views.SearchDocument(item));
        await db.ScalarAsync<object>("delete from search_items where item_id = $1", deleted.Id);
        // A row written after its projection, as when a silo died between the two writes.
        var renamed = stale with { Fields = stale.Fields with { Title = "Paper floor lamp, renamed" }, Version = 2 };
        Assert.True(await items.SaveAsync(renamed, previousVersion: 1));

        var first = await RebuildAsync();

        Assert.Equal("search projection: 3 items read, 2 documents written, 1 already current", first);
        Assert.Equal(3L, await db.ScalarAsync<long>("select count(*) from search_items"));
        Assert.Equal((2L, "Paper floor lamp, renamed"), (await db.ScalarAsync<long>("select version from search_items where item_id = $1", stale.Id),
            await db.ScalarAsync<string>("select title from search_items where item_id = $1", stale.Id)));
        Assert.Equal("Green banker lamp", await db.ScalarAsync<string>("select title from search_items where item_id = $1", deleted.Id));

        Assert.Equal("search projection: 3 items read, 0 documents written, 3 already current", await RebuildAsync());
    }
}
