using Microsoft.Extensions.DependencyInjection;
using NeXChange.Errors;
using NeXChange.Search;

namespace NeXChange.Grains.Tests.Search;

public sealed class SearchAdminTests(SearchCluster cluster) : IClassFixture<SearchCluster>
{
    private ISearchSettingsGrain Settings => cluster.Grains.GetGrain<ISearchSettingsGrain>(0);

    private TimeSpan CacheWindow => cluster.SiloServices().GetRequiredService<SearchOptions>().WeightsCacheFor;

    [Fact]
    public async Task invalid_weights_are_refused_and_change_nothing()
    {
        var before = await Settings.Get();

        var e = await Assert.ThrowsAsync<DomainException>(() =>
            Settings.Update(Guid.CreateVersion7(), new SearchWeights(0.5, SignalWeights.Default with { Proximity = 0.5 })));

        Assert.Equal(ErrorCodes.ValidationFailed, e.Code);
        Assert.Equal("weights", Assert.Single(e.Errors).Field);
        Assert.Equal(before, await Settings.Get());
    }

    [Fact]
    public async Task a_weights_change_bumps_the_version_is_audited_and_reaches_searches_within_the_cache_window()
    {
        var admin = Guid.CreateVersion7();
        var owner = await cluster.UserAsync();
        var category = await cluster.CategoryAsync($"Weights {Guid.NewGuid():N}");
        // 10 km from the search point: with proximity as the only signal the score is 1 − 10/50 = 0.8.
        var point = new GeoPoint(SearchCluster.Chicago.Lat + 10 / (2 * Math.PI * RankingSignals.EarthRadiusKm / 360), SearchCluster.Chicago.Lng);
        await cluster.IndexAsync(SearchCluster.Document(owner, category, "Weighted item", point: point));
        var query = new SearchQuery(Category: category.ToString(), Lat: "41.88", Lng: "-87.63");
        var before = await Settings.Get();
        // Both silos cache the current weights, as after any search, and may keep them for one window.
        foreach (var silo in new[] { 0, 1 }) await cluster.SiloServices(silo).GetRequiredService<SearchWeightsCache>().GetAsync();
        try
        {
            var updated = await Settings.Update(admin, new SearchWeights(0.3, new SignalWeights(1, 0, 0, 0, 0, 0)));

            Assert.Equal(before.Version + 1, updated.Version);
            Assert.Equal(admin, updated.UpdatedBy);
            Assert.Equal(updated, await Settings.Get());
            var audit = await cluster.ScalarAsync<string>(
                "select data::text from audit_log where action = 'SEARCH_WEIGHTS_UPDATED' and actor_id = $1", admin);
            Assert.Contains("\"new\": {\"Version\": " + updated.Version, audit, StringComparison.Ordinal);
            Assert.Contains("\"old\": {\"Version\": " + before.Version, audit, StringComparison.Ordinal);

            cluster.Clock.Advance(CacheWindow);
            Assert.Equal(0.8m, Assert.Single((await cluster.Search.Search(query, null)).Items).Score);
        }
        finally
        {
            // Back to the weights the other tests of this fixture expect, and out of every silo's cache.
            await Settings.Update(admin, new SearchWeights(before.TextBlend, before.Weights));
            cluster.Clock.Advance(CacheWindow);
        }
    }

    [Fact]
    public async Task every_search_is_logged_and_the_report_counts_them()
    {
        // Searches are logged at the fake clock's instant: a second of their own, after any earlier test's.
        cluster.Clock.Advance(TimeSpan.FromSeconds(1));
        var from = cluster.Clock.GetUtcNow();
        var owner = await cluster.UserAsync();
        var user = await cluster.UserAsync();
        var category = await cluster.CategoryAsync($"Analytics {Guid.NewGuid():N}");
        await cluster.IndexAsync(SearchCluster.Document(owner, category, "Analytic teapot"));
        await cluster.Search.Search(new SearchQuery(Q: "Teapot"), user);
        await cluster.Search.Search(new SearchQuery(Q: "teapot"), null);
        await cluster.Search.Search(new SearchQuery(Q: "unobtainium"), null);
        await cluster.Search.Search(new SearchQuery(Q: "unobtainium"), null);
        await cluster.Search.Search(new SearchQuery(Q: "nothingness"), null);
        await cluster.Search.Search(new SearchQuery(), null);

        var report = await cluster.Grains.GetGrain<ISearchAnalyticsGrain>(0).Report(from, from.AddSeconds(1));

        Assert.Equal((6L, 3L), (report.Searches, report.ZeroResultSearches));
        Assert.Equal([("teapot", 2L), ("unobtainium", 2L), ("nothingness", 1L)], report.TopQueries.Select(q => (q.Q, q.Count)));
        Assert.Equal([("unobtainium", 2L), ("nothingness", 1L)], report.TopZeroResultQueries.Select(q => (q.Q, q.Count)));
        Assert.True(report.P50LatencyMs > 0 && report.P95LatencyMs >= report.P50LatencyMs);
        Assert.Equal(1L, await cluster.ScalarAsync<long>("select count(*) from search_log where user_id = $1", user));
    }

    [Fact]
    public async Task a_report_with_to_before_from_is_refused() =>
        await Assert.ThrowsAsync<DomainException>(() =>
            cluster.Grains.GetGrain<ISearchAnalyticsGrain>(0).Report(SearchCluster.Start, SearchCluster.Start.AddDays(-1)));

    [Fact]
    public async Task retention_clears_user_ids_after_30_days_and_deletes_rows_after_2_years()
    {
        var user = Guid.CreateVersion7();
        async Task<Guid> Row(TimeSpan age)
        {
            var id = Guid.CreateVersion7();
            await cluster.ExecuteAsync("""
                insert into search_log (id, at, q, filters, sort, page, result_count, latency_ms, user_id)
                values ($1, $2, 'old', '{}', 'relevance', 1, 0, 1, $3)
                """, id, cluster.Clock.GetUtcNow() - age, user);
            return id;
        }
        var recent = await Row(TimeSpan.FromDays(29));
        var month = await Row(TimeSpan.FromDays(31));
        var ancient = await Row(TimeSpan.FromDays(731));

        await cluster.Grains.GetGrain<ISearchAnalyticsGrain>(0).ApplyRetention();

        Assert.Equal(user, await cluster.ScalarAsync<Guid>("select user_id from search_log where id = $1", recent));
        Assert.Equal(1L, await cluster.ScalarAsync<long>("select count(*) from search_log where id = $1 and user_id is null", month));
        Assert.Equal(0L, await cluster.ScalarAsync<long>("select count(*) from search_log where id = $1", ancient));
    }
}
