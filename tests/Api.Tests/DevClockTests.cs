using System.Net;
using System.Net.Http.Json;

namespace NeXChange.Api.Tests;

/// <summary>A fixture whose hosts run without <c>Dev:Endpoints</c>, as every real deployment does.</summary>
public sealed class NoDevEndpointsFixture : ApiFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Dev:Endpoints"] = "false" };
}

/// <summary>The dev endpoints (SPEC.md 8.7) are absent unless configured; the clock refuses nonsense when present.</summary>
public sealed class DevClockTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task the_clock_moves_forward_only_by_a_positive_whole_number_of_seconds()
    {
        using var client = api.NewClient();
        var before = (await (await client.PostAsJsonAsync("/api/v1/dev/clock/advance", new { seconds = 1 })).Json()).GetProperty("now").GetDateTimeOffset();
        var after = (await (await client.PostAsJsonAsync("/api/v1/dev/clock/advance", new { seconds = 3600 })).Json()).GetProperty("now").GetDateTimeOffset();
        Assert.True(after - before >= TimeSpan.FromHours(1), $"{before:O} -> {after:O}");
        foreach (var body in new[] { "{}", "{\"seconds\":0}", "{\"seconds\":-5}", "{\"seconds\":1.5}", "{\"seconds\":\"60\"}",
                     "{\"seconds\":99999999999}", "{\"seconds\":60,\"extra\":1}" })
        {
            var refused = await client.PostAsync("/api/v1/dev/clock/advance", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("validation_failed", (await refused.Json()).GetProperty("code").GetString());
        }
    }
}

public sealed class DevClockAbsentTests(NoDevEndpointsFixture api) : IClassFixture<NoDevEndpointsFixture>
{
    [Fact]
    public async Task without_the_setting_the_dev_clock_is_not_found()
    {
        using var client = new HttpClient { BaseAddress = api.BaseAddress };
        var response = await client.PostAsJsonAsync("/api/v1/dev/clock/advance", new { seconds = 60 });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task without_the_setting_the_dev_price_feed_is_not_found()
    {
        using var client = new HttpClient { BaseAddress = api.BaseAddress };
        var response = await client.PutAsJsonAsync("/api/v1/dev/price-feed", new { midMinorPerBtc = 20_000_000 });
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
