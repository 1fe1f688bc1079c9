using NeXChange.Errors;
using NeXChange.Search;

namespace NeXChange.Grains.Tests.Search;

public sealed class SearchMatchingTests(SearchCluster cluster) : IClassFixture<SearchCluster>
{
    private async Task<(Guid Owner, Guid Category)> ScopeAsync(string name)
    {
        var owner = await cluster.UserAsync();
        return (owner, await cluster.CategoryAsync($"{name} {Guid.NewGuid():N}"));
    }

    private Task<SearchPage> SearchAsync(Guid category, SearchQuery? query = null, Guid? caller = null) =>
        cluster.Search.Search((query ?? new SearchQuery()) with { Category = category.ToString() }, caller);

    private static IEnumerable<Guid> Ids(SearchPage page) => page.Items.Select(i => i.Id);

    [Fact]
    public async Task words_match_by_english_stem_across_title_tags_and_description()
    {
        var (owner, category) = await ScopeAsync("Stems");
        var bike = await cluster.IndexAsync(SearchCluster.Document(owner, category, "Red bike with a basket"));
        var tagged = await cluster.IndexAsync(SearchCluster.Document(owner, category, "Something for the commute", tags: ["bikes"]));
        var described = await cluster.IndexAsync(SearchCluster.Document(owner, category, "Commuter special offer",
            "Comes with a bike pump and the original manual, kept indoors in a dry garage all year."));
        await cluster.IndexAsync(SearchCluster.Document(owner, category, "Blue kettle, barely used"));

        var page = await SearchAsync(category, new SearchQuery(Q: "bikes"));

        Assert.Equal(3, page.Total);
        // Title (A) outranks tags (B) outranks description (C) when everything else is equal.
        Assert.Equal([bike.ItemId, tagged.ItemId, described.ItemId], Ids(page));
    }

    [Fact]
    public async Task web_search_syntax_excludes_words_with_a_minus()
    {
        var (owner, category) = await ScopeAsync("Syntax");
        var red = await cluster.IndexAsync(SearchCluster.Document(owner, category, "Red bike for sale"));
        await cluster.IndexAsync(SearchCluster.Document(owner, category, "Blue bike for sale"));

        Assert.Equal([red.ItemId], Ids(await SearchAsync(category, new SearchQuery(Q: "bike -blue"))));
    }

    [Fact]
    public async Task a_category_filter_includes_its_descendants_and_nothing_else()
    {
        var owner = await cluster.UserAsync();
        var top = await cluster.CategoryAsync($"Outdoor {Guid.NewGuid():N}");
        var child = await cluster.CategoryAsync("Camping", top);
        var grandchild = await cluster.CategoryAsync("Tents", child);
        var other = await cluster.CategoryAsync($"Indoor {Guid.NewGuid():N}");
        var inTop = await cluster.IndexAsync(SearchCluster.Document(owner, top, "Generic outdoor thing"));
        var inGrandchild = await cluster.IndexAsync(SearchCluster.Document(owner, grandchild, "Two person tent"));
        await cluster.IndexAsync(SearchCluster.Document(owner, other, "Indoor thing"));

        Assert.Equal(new[] { inGrandchild.ItemId, inTop.ItemId }.Order(), Ids(await SearchAsync(top)).Order());
        Assert.Equal([inGrandchild.ItemId], Ids(await SearchAsync(child)));
    }

    [Fact]
    public async Task an_unknown_category_is_a_validation_error()
    {
        var e = await Assert.ThrowsAsync<DomainException>(() => SearchAsync(Guid.CreateVersion7()));
        Assert.Equal(ErrorCodes.ValidationFailed, e.Code);
        Assert.Equal(("category", "unknown_value"), (e.Errors[0].Field, e.Errors[0].Code));
    }

    [Fact]
    public async Task condition_and_price_range_filter()
    {
        var (owner, category) = await ScopeAsync("Filters");
        var cheapNew = await cluster.IndexAsync(SearchCluster.Document(owner, category, "Cheap new one", condition: "new", priceMinor: 900));
        var dearNew = await cluster.IndexAsync(SearchCluster.Document(owner, category, "Dear new one", condition: "new", priceMinor: 90_000));
        var midFair = await cluster.IndexAsync(SearchCluster.Document(owner, category, "Middle fair one", condition: "fair", priceMinor: 5_000));

        Assert.Equal(new[] { cheapNew.ItemId, dearNew.ItemId }.Order(), Ids(await SearchAsync(category, new SearchQuery(Condition: "new"))).Order());
        Assert.Equal(new[] { midFair.ItemId, dearNew.ItemId }.Order(),
            Ids(await SearchAsync(category, new SearchQuery(Condition: "new,fair", MinPriceMinor: "5000"))).Order());
        Assert.Equal([midFair.ItemId], Ids(await SearchAsync(category, new SearchQuery(MinPriceMinor: "1000", MaxPriceMinor: "5000"))));
    }

    [Fact]
    public async Task an_item_30_km_away_is_inside_a_50_km_radius_and_outside_a_25_km_one()
    {
        var (owner, category) = await ScopeAsync("Radius");
        // 0.27° of latitude north of the search point: 30.02 km on the haversine sphere.
        var far = await cluster.IndexAsync(SearchCluster.Document(owner, category, "Thirty km north",
            point: new GeoPoint(SearchCluster.Chicago.Lat + 0.27, SearchCluster.Chicago.Lng)));
        var near = await cluster.IndexAsync(SearchCluster.Document(owner, category, "Right here"));
        var point = new SearchQuery(Lat: "41.88", Lng: "-87.63", Sort: "distance");

        var wide = await SearchAsync(category, point with { RadiusKm = "50" });
        Assert.Equal([near.ItemId, far.ItemId], Ids(wide));
        Assert.Equal([0.0m, 30.0m], wide.Items.Select(i => i.DistanceKm!.Value));
        Assert.Equal([near.ItemId], Ids(await SearchAsync(category, point with { RadiusKm = "25" })));
        Assert.Equal([near.ItemId, far.ItemId], Ids(await SearchAsync(category, point with { RadiusMi = "20" })));
    }

    [Fact]
    public async Task the_callers_area_is_the_search_point_when_none_is_given()
    {
        var (owner, category) = await ScopeAsync("Area");
        var caller = await cluster.UserAsync(area: new GeoPoint(SearchCluster.Chicago.Lat + 0.27, SearchCluster.Chicago.Lng));
        var here = await cluster.IndexAsync(SearchCluster.Document(owner, category, "Item in the city"));

        var page = await SearchAsync(category, new SearchQuery(RadiusKm: "50"), caller);

        Assert.Equal(30.0m, Assert.Single(page.Items).DistanceKm);
        Assert.Equal(here.ItemId, page.Items[0].Id);
        var e = await Assert.ThrowsAsync<DomainException>(() => SearchAsync(category, new SearchQuery(RadiusKm: "50")));
        Assert.Equal("radiusKm", Assert.Single(e.Errors).Field);
    }

    [Fact]
    public async Task verified_only_keeps_items_of_id_verified_sellers()
    {
        var (owner, category) = await ScopeAsync("Verified");
        var verified = await cluster.UserAsync(verified: true);
        var item = await cluster.IndexAsync(SearchCluster.Document(verified, category, "From a verified seller"));
        await cluster.IndexAsync(SearchCluster.Document(owner, category, "From someone unverified"));

        var page = await SearchAsync(category, new SearchQuery(VerifiedOnly: "true"));

        Assert.Equal([item.ItemId], Ids(page));
        Assert.True(page.Items[0].Seller.Verified);
        Assert.Equal($"{SearchCluster.PublicBaseUrl}/api/v1/users/{verified}/avatar.svg", page.Items[0].Seller.AvatarUrl);
        Assert.Equal((null, 0), (page.Items[0].Seller.RatingAverage, page.Items[0].Seller.RatingCount));
    }

    [Fact]
    public async Task non_active_items_and_items_of_deleted_owners_never_appear()
    {
        var (owner, category) = await ScopeAsync("Scope");
        var deletedOwner = await cluster.UserAsync(deleted: true);
        var visible = await cluster.IndexAsync(SearchCluster.Document(owner, category, "Visible lamp"));
        foreach (var status in new[] { "draft", "pending_review", "reserved", "traded", "archived" })
            await cluster.IndexAsync(SearchCluster.Document(owner, category, $"Lamp that is {status}", status: status));
        await cluster.IndexAsync(SearchCluster.Document(deletedOwner, category, "Lamp of a deleted owner"));

        var page = await SearchAsync(category, new SearchQuery(Q: "lamp"));
        Assert.Equal([visible.ItemId], Ids(page));
        Assert.Equal(1, page.Total);

        // Archiving is an upsert with a newer version; the item is gone from the very next search.
        Assert.True(await cluster.Index.UpsertAsync(visible with { Version = 2, Status = "archived" }));
        Assert.Empty((await SearchAsync(category, new SearchQuery(Q: "lamp"))).Items);
    }

    [Fact]
    public async Task an_older_version_does_not_overwrite_a_newer_one()
    {
        var (owner, category) = await ScopeAsync("Versions");
        var v2 = await cluster.IndexAsync(SearchCluster.Document(owner, category, "Version two title", version: 2));

        Assert.False(await cluster.Index.UpsertAsync(v2 with { Version = 1, Title = "Version one title" }));
        Assert.False(await cluster.Index.UpsertAsync(v2 with { Title = "Same version again" }));

        Assert.Equal("Version two title", Assert.Single((await SearchAsync(category)).Items).Title);
        Assert.True(await cluster.Index.UpsertAsync(v2 with { Version = 3, Title = "Version three title" }));
        Assert.Equal("Version three title", Assert.Single((await SearchAsync(category)).Items).Title);
    }

    [Fact]
    public async Task no_result_field_carries_coordinates()
    {
        var (owner, category) = await ScopeAsync("Privacy");
        await cluster.IndexAsync(SearchCluster.Document(owner, category, "Somewhere specific", point: new GeoPoint(41.97, -87.66)));

        var page = await SearchAsync(category, new SearchQuery(Lat: "41.88", Lng: "-87.63"));

        var names = new[] { typeof(ItemCard), typeof(NeXChange.Users.PublicProfileLite), typeof(CoverPhoto) }
            .SelectMany(t => t.GetProperties()).Select(p => p.Name.ToLowerInvariant()).ToList();
        Assert.DoesNotContain(names, n => n.Contains("lat", StringComparison.Ordinal) || n.Contains("lng", StringComparison.Ordinal)
                                          || n.Contains("lon", StringComparison.Ordinal) || n.Contains("point", StringComparison.Ordinal));
        // Every value of the page, items and sellers included (a record's ToString stops at its lists).
        var text = System.Text.Json.JsonSerializer.Serialize(page);
        Assert.Contains("Somewhere specific", text, StringComparison.Ordinal);
        Assert.DoesNotContain("41.97", text, StringComparison.Ordinal);
        Assert.DoesNotContain("87.66", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("'; drop table search_items; --")]
    [InlineData("%")]
    [InlineData("\\")]
    [InlineData("\"unbalanced quote")]
    [InlineData("it's o'clock \"")]
    [InlineData("café ñandú 東京 🚲")]
    [InlineData("or or -")]
    public async Task hostile_or_odd_queries_return_normally(string q)
    {
        var (owner, category) = await ScopeAsync("Hostile");
        await cluster.IndexAsync(SearchCluster.Document(owner, category, "An ordinary bicycle"));

        var page = await SearchAsync(category, new SearchQuery(Q: q));

        Assert.Empty(page.Items);
        Assert.Empty(await cluster.Search.Suggest(q));
        Assert.Equal(1, (await SearchAsync(category)).Total);
    }
}
