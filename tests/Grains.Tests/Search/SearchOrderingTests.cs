using NeXChange.Search;

namespace NeXChange.Grains.Tests.Search;

public sealed class SearchOrderingTests(SearchCluster cluster) : IClassFixture<SearchCluster>
{
    private DateTimeOffset Now => cluster.Clock.GetUtcNow();

    private async Task<(Guid Owner, Guid Category)> ScopeAsync(string name)
    {
        var owner = await cluster.UserAsync();
        return (owner, await cluster.CategoryAsync($"{name} {Guid.NewGuid():N}"));
    }

    private Task<SearchPage> SearchAsync(Guid category, SearchQuery? query = null) =>
        cluster.Search.Search((query ?? new SearchQuery()) with { Category = category.ToString() }, null);

    private static List<Guid> Ids(SearchPage page) => page.Items.Select(i => i.Id).ToList();

    [Fact]
    public async Task newest_and_price_sorts_break_ties_by_newest_then_id()
    {
        var (owner, category) = await ScopeAsync("Sorts");
        var old = await cluster.IndexAsync(SearchCluster.Document(owner, category, "Old cheap", priceMinor: 1_000, publishedAt: Now.AddDays(-5)));
        var mid = await cluster.IndexAsync(SearchCluster.Document(owner, category, "Mid dear", priceMinor: 9_000, publishedAt: Now.AddDays(-3)));
        var fresh = await cluster.IndexAsync(SearchCluster.Document(owner, category, "Fresh cheap", priceMinor: 1_000, publishedAt: Now.AddDays(-1)));

        Assert.Equal([fresh.ItemId, mid.ItemId, old.ItemId], Ids(await SearchAsync(category, new SearchQuery(Sort: "newest"))));
        Assert.Equal([fresh.ItemId, old.ItemId, mid.ItemId], Ids(await SearchAsync(category, new SearchQuery(Sort: "price_asc"))));
        Assert.Equal([mid.ItemId, fresh.ItemId, old.ItemId], Ids(await SearchAsync(category, new SearchQuery(Sort: "price_desc"))));
        Assert.All((await SearchAsync(category, new SearchQuery(Sort: "newest"))).Items, i => Assert.Null(i.Score));
    }

    [Fact]
    public async Task distance_sort_puts_the_nearest_first()
    {
        var (owner, category) = await ScopeAsync("Distance");
        var far = await cluster.IndexAsync(SearchCluster.Document(owner, category, "Far", point: new GeoPoint(42.10, -87.63)));
        var near = await cluster.IndexAsync(SearchCluster.Document(owner, category, "Near", point: new GeoPoint(41.90, -87.63)));
        var here = await cluster.IndexAsync(SearchCluster.Document(owner, category, "Here"));

        var page = await SearchAsync(category, new SearchQuery(Lat: "41.88", Lng: "-87.63", Sort: "distance"));

        Assert.Equal([here.ItemId, near.ItemId, far.ItemId], Ids(page));
        Assert.Equal(Math.Round((decimal)RankingSignals.HaversineKm(SearchCluster.Chicago, new GeoPoint(42.10, -87.63)), 1), page.Items[2].DistanceKm);
    }

    [Fact]
    public async Task the_relevance_score_without_q_is_the_weighted_sum_of_the_six_signals()
    {
        var (owner, category) = await ScopeAsync("Score");
        var published = Now.AddDays(-2);
        var point = new GeoPoint(41.97, -87.63);
        await cluster.IndexAsync(SearchCluster.Document(owner, category, "Scored item", point: point, publishedAt: published, photoCount: 3));

        var card = Assert.Single((await SearchAsync(category, new SearchQuery(Lat: "41.88", Lng: "-87.63"))).Items);

        var age = RankingSignals.AgeDays(published, Now);
        var expected = RankingSignals.Score(null, 0.5, SignalWeights.Default,
            RankingSignals.Proximity(RankingSignals.HaversineKm(SearchCluster.Chicago, point), null),
            RankingSignals.Recency(age), RankingSignals.PhotoCount(3), RankingSignals.Reputation(null, 0), 0,
            RankingSignals.Freshness(age));
        Assert.Equal(Math.Round((decimal)expected, 4), card.Score);
    }

    [Fact]
    public async Task a_query_naming_the_category_or_an_ancestor_lifts_items_of_that_category()
    {
        var owner = await cluster.UserAsync();
        var top = await cluster.CategoryAsync($"Instruments {Guid.NewGuid():N}");
        var guitars = await cluster.CategoryAsync("Guitars", top);
        var other = await cluster.CategoryAsync("Keyboards", top);
        var published = Now.AddDays(-1);
        var inGuitars = await cluster.IndexAsync(SearchCluster.Document(owner, guitars, "Vintage acoustic guitar", publishedAt: published));
        var elsewhere = await cluster.IndexAsync(SearchCluster.Document(owner, other, "Vintage acoustic guitar", publishedAt: published));

        var page = await SearchAsync(top, new SearchQuery(Q: "acoustic guitars"));

        Assert.Equal([inGuitars.ItemId, elsewhere.ItemId], Ids(page));
        // Only the categoryMatch signal differs: 0.10 weight × (1 − textBlend 0.5).
        Assert.Equal(0.05m, page.Items[0].Score - page.Items[1].Score);
    }

    [Fact]
    public async Task facets_count_the_whole_filtered_set()
    {
        var owner = await cluster.UserAsync();
        var top = await cluster.CategoryAsync($"Facets {Guid.NewGuid():N}");
        var a = await cluster.CategoryAsync("Alpha", top);
        var b = await cluster.CategoryAsync("Beta", top);
        var b1 = await cluster.CategoryAsync("Beta One", b);
        await cluster.CategoryAsync("Empty", top);
        var word = $"zorb{Guid.NewGuid():N}"[..12];
        await cluster.IndexAsync(SearchCluster.Document(owner, a, $"{word} one", condition: "new", priceMinor: 999));
        await cluster.IndexAsync(SearchCluster.Document(owner, a, $"{word} two", condition: "new", priceMinor: 1_000));
        await cluster.IndexAsync(SearchCluster.Document(owner, b, $"{word} three", condition: "poor", priceMinor: 100_000));
        await cluster.IndexAsync(SearchCluster.Document(owner, b1, $"{word} four", condition: "good", priceMinor: 10_000_000));
        await cluster.IndexAsync(SearchCluster.Document(owner, b1, $"{word} five", condition: "good", priceMinor: 24_999));

        var page = await SearchAsync(top, new SearchQuery(PageSize: "1"));

        Assert.Equal(5, page.Total);
        Assert.Equal([("Beta", 3L), ("Alpha", 2L)], page.Facets.Categories.Select(c => (c.Name, c.Count)));
        Assert.Equal([("new", 2L), ("like_new", 0L), ("good", 2L), ("fair", 0L), ("poor", 1L)],
            page.Facets.Conditions.Select(c => (c.Condition, c.Count)));
        Assert.Equal(
            [(0L, (long?)1_000L, 1L), (1_000, 2_500, 1), (2_500, 5_000, 0), (5_000, 10_000, 0), (10_000, 25_000, 1),
             (25_000, 50_000, 0), (50_000, 100_000, 0), (100_000, null, 2)],
            page.Facets.Prices.Select(p => (p.FromMinor, p.ToMinor, p.Count)));

        var inBeta = await SearchAsync(b, new SearchQuery(Condition: "good"));
        Assert.Equal([("Beta One", 2L)], inBeta.Facets.Categories.Select(c => (c.Name, c.Count)));

        var everywhere = await cluster.Search.Search(new SearchQuery(Q: word), null);
        Assert.Equal(5, Assert.Single(everywhere.Facets.Categories, c => c.CategoryId == top).Count);
    }

    [Fact]
    public async Task pages_split_the_ordered_set_and_total_counts_all_of_it()
    {
        var (owner, category) = await ScopeAsync("Paging");
        var items = new List<Guid>();
        for (var i = 0; i < 5; i++)
            items.Add((await cluster.IndexAsync(SearchCluster.Document(owner, category, $"Paged item {i}", publishedAt: Now.AddHours(-i)))).ItemId);

        var pages = new List<SearchPage>();
        for (var p = 1; p <= 4; p++) pages.Add(await SearchAsync(category, new SearchQuery(Sort: "newest", Page: $"{p}", PageSize: "2")));

        Assert.Equal([2, 2, 1, 0], pages.Select(p => p.Items.Count));
        Assert.All(pages, p => Assert.Equal(5, p.Total));
        Assert.Equal(items, pages.SelectMany(Ids));
        Assert.Equal((3, 2), (pages[2].Page, pages[2].PageSize));
    }

    [Fact]
    public async Task suggestions_list_categories_first_then_distinct_titles()
    {
        var owner = await cluster.UserAsync();
        var word = $"qzv{Guid.NewGuid():N}"[..9];
        var category = await cluster.CategoryAsync($"{word}lamps");
        await cluster.CategoryAsync($"{word}lamps retired", active: false);
        await cluster.IndexAsync(SearchCluster.Document(owner, category, $"Brass {word}lamps desk light"));
        await cluster.IndexAsync(SearchCluster.Document(owner, category, $"brass {word}LAMPS DESK LIGHT"));
        await cluster.IndexAsync(SearchCluster.Document(owner, category, $"{word.ToUpperInvariant()}LAMPS"));
        await cluster.IndexAsync(SearchCluster.Document(owner, category, $"Archived {word}lamps", status: "archived"));

        var suggestions = await cluster.Search.Suggest(word.ToUpperInvariant());

        Assert.Equal(new Suggestion("category", $"{word}lamps", category), suggestions[0]);
        Assert.Equal([("item", $"brass {word}lamps desk light")],
            suggestions.Skip(1).Select(s => (s.Type, s.Text.ToLowerInvariant())));
        Assert.Empty(await cluster.Search.Suggest("q"));
        Assert.Empty(await cluster.Search.Suggest(new string('q', 51)));
    }
}
