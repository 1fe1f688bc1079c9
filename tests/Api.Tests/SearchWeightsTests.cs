using System.Globalization;
using System.Net;
using System.Net.Http.Json;

namespace NeXChange.Api.Tests;

/// <summary>A fixture of its own: these tests change the cluster-wide ranking weights and count every search.</summary>
public sealed class SearchWeightsFixture : ApiFixture;

public sealed class SearchWeightsTests(SearchWeightsFixture api) : IClassFixture<SearchWeightsFixture>
{
    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task admins_tune_the_weights_within_the_rules_and_read_analytics()
    {
        using var ops = api.ClientFor(await api.Admin());
        var version = (await (await ops.GetAsync("/api/v1/admin/search/weights")).Json()).GetProperty("version").GetInt64();
        var updated = await ops.PutAsJsonAsync("/api/v1/admin/search/weights", new
        {
            textBlend = 0.6,
            weights = new { proximity = 0.3, recency = 0.2, photoCount = 0.1, reputation = 0.2, categoryMatch = 0.1, freshness = 0.1 },
        });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(version + 1, (await updated.Json()).GetProperty("version").GetInt64());

        var badSum = await ops.PutAsJsonAsync("/api/v1/admin/search/weights", new
        {
            textBlend = 0.6,
            weights = new { proximity = 0.5, recency = 0.2, photoCount = 0.1, reputation = 0.2, categoryMatch = 0.1, freshness = 0.1 },
        });
        Assert.Equal(HttpStatusCode.BadRequest, badSum.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ops.PutAsJsonAsync("/api/v1/admin/search/weights", new { textBlend = 0.5 })).StatusCode);
        var kept = await (await ops.GetAsync("/api/v1/admin/search/weights")).Json();
        Assert.Equal((version + 1, 0.3), (kept.GetProperty("version").GetInt64(), kept.GetProperty("weights").GetProperty("proximity").GetDouble()));

        using var user = api.ClientFor(await api.RegisterVerified());
        Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync("/api/v1/admin/search/weights")).StatusCode);

        // The day of the one search of this fixture on the server's clock (its Date header), and the day before in
        // case the search was logged just before midnight UTC.
        DateTimeOffset searchedAt;
        using (var anonymous = api.NewClient())
        {
            var search = await anonymous.GetAsync("/api/v1/items?q=nothing-matches-this-zzzz");
            Assert.Equal(HttpStatusCode.OK, search.StatusCode);
            searchedAt = search.Headers.Date!.Value;
        }
        var (from, to) = (Day(searchedAt.AddDays(-1)), Day(searchedAt));
        var report = await (await ops.GetAsync($"/api/v1/admin/search/analytics?from={from}&to={to}")).Json();
        Assert.Equal(1, report.GetProperty("searches").GetInt64());
        Assert.Equal("nothing-matches-this-zzzz", Assert.Single(report.GetProperty("topZeroResultQueries").EnumerateArray()).GetProperty("q").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await ops.GetAsync("/api/v1/admin/search/analytics?from=yesterday&to=today")).StatusCode);
    }
}
