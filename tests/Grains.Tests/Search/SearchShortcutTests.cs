using System.Data;
using NeXChange.Search;
using Npgsql;

namespace NeXChange.Grains.Tests.Search;

/// <summary>
/// The shortcuts of 0008_search_performance.sql and <see cref="PostgresSearchIndex"/> must give exactly the
/// answers of the plain queries: the maintained facet counts of an unfiltered search, the page and facets of a filtered
/// search taken from one scan, and the relevance ranking without q that only scores recent items.
/// </summary>
public sealed class SearchShortcutTests(SearchCluster cluster) : IClassFixture<SearchCluster>
{
    private static readonly SearchSettings Settings = new(1, 0.5, SignalWeights.Default, SearchCluster.Start, null);

    private static SearchCriteria Unfiltered => SearchQueryParser.Parse(new SearchQuery()).WithFallbackPoint(null);

    [Fact]
    public async Task maintained_facet_counts_stay_exact_unfiltered_and_by_category_and_condition_under_upserts_tombstones_and_refused_versions()
    {
        var owner = await cluster.UserAsync();
        var deletedOwner = await cluster.UserAsync(deleted: true);
        var kitchen = await cluster.CategoryAsync($"Kitchen {Guid.NewGuid():N}");
        var garden = await cluster.CategoryAsync($"Garden {Guid.NewGuid():N}");
        await AssertCellFacetsExactAsync([kitchen, garden]);

        var kettle = await cluster.IndexAsync(SearchCluster.Document(owner, kitchen, "Kettle", condition: "new", priceMinor: 999));
        var spade = await cluster.IndexAsync(SearchCluster.Document(owner, garden, "Spade", condition: "fair", priceMinor: 100_000));
        await cluster.IndexAsync(SearchCluster.Document(owner, garden, "Draft rake", status: "draft"));
        await cluster.IndexAsync(SearchCluster.Document(deletedOwner, kitchen, "Pan of a deleted owner", condition: "poor"));
        await AssertCellFacetsExactAsync([kitchen, garden]);

        // An edit moves the item to another category, condition and price bucket.
        Assert.True(await cluster.Index.UpsertAsync(kettle with { Version = 2, CategoryId = garden, Condition = "good", PriceMinor = 25_000 }));
        await AssertCellFacetsExactAsync([kitchen, garden]);

        // Refused by the version guard: nothing may move.
        Assert.False(await cluster.Index.UpsertAsync(kettle with { Version = 1, CategoryId = kitchen, Condition = "poor" }));
        Assert.False(await cluster.Index.UpsertAsync(kettle with { Version = 2, PriceMinor = 100 }));
        await AssertCellFacetsExactAsync([kitchen, garden]);

        // A tombstone leaves the counts; coming back (reserve, then a refunded trade) re-enters them.
        Assert.True(await cluster.Index.UpsertAsync(spade with { Version = 2, Status = "reserved" }));
        await AssertCellFacetsExactAsync([kitchen, garden]);
        Assert.True(await cluster.Index.UpsertAsync(spade with { Version = 3, Status = "active" }));
        await AssertCellFacetsExactAsync([kitchen, garden]);

        // An owner deleted while the items are still active (before they are archived) drops out at once.
        await cluster.ExecuteAsync("update users set deleted_at = now() where id = $1", owner);
        await AssertCellFacetsExactAsync([kitchen, garden]);

        await cluster.ExecuteAsync("delete from search_items where item_id = $1", spade.ItemId);
        await AssertCellFacetsExactAsync([kitchen, garden]);

        var page = await cluster.Search.Search(new SearchQuery(), null);
        Assert.Equal(page.Facets.Conditions.Sum(c => c.Count), page.Total);
    }

    /// <summary>
    /// In one snapshot: the facet statement of a search without filters, by category, by condition and by both (all
    /// counted from the maintained cells) against the definition (SPEC.md 5.4 and 5.2: active items of owners not
    /// deleted that pass the filters, counted per category, condition and price bucket).
    /// </summary>
    private async Task AssertCellFacetsExactAsync(Guid[] categories)
    {
        await using var connection = new NpgsqlConnection(cluster.Postgres);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead);
        string[] conditions = ["new", "poor"];
        foreach (var (categoryFilter, conditionFilter) in new (Guid[]?, string[]?)[] { (null, null), ([categories[0]], null), (null, conditions), (categories, conditions) })
        {
            var actual = new SortedSet<string>(StringComparer.Ordinal);
            var criteria = SearchQueryParser.Parse(new SearchQuery(Condition: conditionFilter is null ? null : string.Join(',', conditionFilter))).WithFallbackPoint(null);
            var statement = new SearchSql(criteria, categoryFilter).PageAndFacets(Settings, [], SearchCluster.Start);
            await using (var batch = new NpgsqlBatch(connection, transaction) { BatchCommands = { statement } })
            await using (var reader = await batch.ExecuteReaderAsync())
                while (await reader.ReadAsync())
                    if (FacetRow(reader) is { } row) actual.Add(row);

            var expected = new SortedSet<string>(StringComparer.Ordinal);
            await using (var command = new NpgsqlCommand("""
                select grouping(s.category_id, s.condition), s.category_id, s.condition, width_bucket(s.price_minor, $1), count(*)
                from search_items s join users u on u.id = s.owner_id
                where s.status = 'active' and u.deleted_at is null
                  and ($2::uuid[] is null or s.category_id = any($2)) and ($3::text[] is null or s.condition = any($3))
                group by grouping sets ((s.category_id), (s.condition), (width_bucket(s.price_minor, $1)))
                """, connection, transaction))
            {
                command.Parameters.Add(new() { Value = SearchSql.PriceBuckets[1..] });
                command.Parameters.Add(new() { Value = (object?)categoryFilter ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Uuid });
                command.Parameters.Add(new() { Value = (object?)conditionFilter ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                    expected.Add($"{reader.GetInt32(0)}:{reader.GetValue(1)}:{reader.GetValue(2)}:{reader.GetValue(3)}={reader.GetInt64(4)}");
            }
            Assert.Equal(expected, actual);
        }
    }

    /// <summary>A facet row of <see cref="SearchSql.PageAndFacets"/> as kind:category:condition:bucket=count; null for page rows and empty cells.</summary>
    private static string? FacetRow(NpgsqlDataReader reader)
    {
        const int f = SearchSql.FacetColumn;
        if (reader.IsDBNull(f) || reader.GetInt64(f + 4) == 0) return null;
        return $"{reader.GetInt32(f)}:{reader.GetValue(f + 1)}:{reader.GetValue(f + 2)}:{reader.GetValue(f + 3)}={reader.GetInt64(f + 4)}";
    }

    [Theory]
    [InlineData("newest")]
    [InlineData("price_asc")]
    [InlineData("relevance")]
    public async Task a_filtered_search_takes_its_page_and_facets_of_the_whole_result_set_from_one_scan(string sort)
    {
        var owner = await cluster.UserAsync();
        var deletedOwner = await cluster.UserAsync(deleted: true);
        var top = await cluster.CategoryAsync($"One scan {Guid.NewGuid():N}");
        var left = await cluster.CategoryAsync("Left", top);
        var right = await cluster.CategoryAsync("Right", top);
        var word = $"scan{Guid.NewGuid():N}"[..12];
        var documents = new List<ItemSearchDocument>();
        for (var i = 0; i < 40; i++)
        {
            // 0, 11, 22, 33 and 44 km north of the search point: the last two are outside the 25 km radius.
            var point = new GeoPoint(SearchCluster.Chicago.Lat + i / 2 % 5 * 0.1, SearchCluster.Chicago.Lng);
            documents.Add(await cluster.IndexAsync(SearchCluster.Document(i % 7 == 0 ? deletedOwner : owner,
                i % 3 == 0 ? left : right, i % 4 == 0 ? $"Plain item {i}" : $"{word} item {i}",
                condition: ItemConditions.All[i % 5], priceMinor: 400L * i * i, point: point,
                publishedAt: SearchCluster.Start.AddHours(-i), photoCount: i % 12, status: i % 9 == 0 ? "draft" : "active")));
        }
        var matches = documents.Where(d => d.Status == "active" && d.OwnerId != deletedOwner && d.Title.StartsWith(word, StringComparison.Ordinal)
                                           && RankingSignals.HaversineKm(SearchCluster.Chicago, new(d.Lat, d.Lng)) <= 25).ToList();
        Assert.InRange(matches.Count, 10, 30);

        var page = await cluster.Search.Search(new SearchQuery(Q: word, Category: top.ToString(), Lat: "41.88", Lng: "-87.63",
            RadiusKm: "25", Sort: sort, Page: "2", PageSize: "4"), null);

        Assert.Equal(matches.Count, page.Total);
        Assert.Equal(4, page.Items.Count);
        Assert.Equal(ItemConditions.All.Select(c => (c, (long)matches.Count(d => d.Condition == c))),
            page.Facets.Conditions.Select(c => (c.Condition, c.Count)));
        int Bucket(long price) => Array.FindLastIndex(SearchSql.PriceBuckets, from => price >= from);
        Assert.Equal(SearchSql.PriceBuckets.Select((_, i) => (long)matches.Count(d => Bucket(d.PriceMinor) == i)),
            page.Facets.Prices.Select(p => p.Count));
        Assert.Equal(
            new[] { ("Left", matches.Count(d => d.CategoryId == left)), ("Right", matches.Count(d => d.CategoryId == right)) }
                .Where(c => c.Item2 > 0).OrderByDescending(c => c.Item2).ThenBy(c => c.Item1, StringComparer.Ordinal).Select(c => (c.Item1, (long)c.Item2)),
            page.Facets.Categories.Select(c => (c.Name, c.Count)));
        if (sort == SearchSorts.Relevance) return;   // the relevance order is held to the formulas in SearchOrderingTests
        var ordered = sort == SearchSorts.Newest
            ? matches.OrderByDescending(d => d.PublishedAt)
            : matches.OrderBy(d => d.PriceMinor).ThenByDescending(d => d.PublishedAt);
        Assert.Equal(ordered.Skip(4).Take(4).Select(d => d.ItemId), page.Items.Select(i => i.Id));
    }

    [Fact]
    public async Task relevance_without_q_pages_through_the_exact_ranking_of_a_larger_catalogue()
    {
        var owner = await cluster.UserAsync();
        var category = await cluster.CategoryAsync($"Ranked {Guid.NewGuid():N}");
        var now = cluster.Clock.GetUtcNow();
        // 250 items over 61 days with varied photo counts: the first pages are decided among recent items, so the
        // search looks at those only; later pages need (almost) everything.
        var items = new List<(Guid Id, DateTimeOffset Published, int Photos)>();
        for (var i = 0; i < 250; i++)
        {
            var published = now.AddMinutes(-353 * i - 1);
            var photos = 1 + i * 7 % 12;
            var document = await cluster.IndexAsync(SearchCluster.Document(owner, category, $"Ranked item {i}", publishedAt: published, photoCount: photos));
            items.Add((document.ItemId, published, photos));
        }
        double Score((Guid Id, DateTimeOffset Published, int Photos) item)
        {
            var age = RankingSignals.AgeDays(item.Published, now);
            return RankingSignals.Score(null, 0.5, SignalWeights.Default, 0, RankingSignals.Recency(age),
                RankingSignals.PhotoCount(item.Photos), RankingSignals.Reputation(null, 0), 0, RankingSignals.Freshness(age));
        }
        var expected = items.OrderByDescending(Score).ThenByDescending(i => i.Published).Select(i => i.Id).ToList();
        // Spacing (353 min) and photo steps are incommensurate: no two scores are so close that the database's
        // floating point could swap them.
        var scores = items.Select(Score).Order().ToList();
        Assert.All(scores.Zip(scores.Skip(1)), pair => Assert.True(pair.Second - pair.First > 1e-6 || pair.Second == pair.First));

        var ranked = new List<Guid>();
        for (var page = 1; page <= 5; page++)
        {
            var result = await cluster.Search.Search(new SearchQuery(Category: category.ToString(), Page: $"{page}", PageSize: "50"), null);
            Assert.Equal(250, result.Total);
            ranked.AddRange(result.Items.Select(i => i.Id));
        }
        Assert.Equal(expected, ranked);

        var first = await cluster.Search.Search(new SearchQuery(Category: category.ToString(), PageSize: "20"), null);
        Assert.Equal(expected.Take(20), first.Items.Select(i => i.Id));
    }
}
