using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using NeXChange.TestSupport;
using Orleans.Runtime;

namespace NeXChange.Api.Tests;

/// <summary>
/// A fixture of its own: this test takes the search projection away for a moment, and its silo's grain timers run on
/// a fake clock, so the retry of the projection happens when the test moves that clock and at no other time.
/// </summary>
public sealed class ProjectionRepairFixture : ApiFixture
{
    public FakeTimeProvider GrainClock { get; } = new();

    protected override void ConfigureSilo(IServiceCollection services) =>
        services.AddKeyedSingleton<TimeProvider>(TimeProviderNames.Grains, GrainClock);
}

public sealed class ProjectionRepairTests(ProjectionRepairFixture api) : IClassFixture<ProjectionRepairFixture>
{
    [Fact]
    public async Task a_publish_while_the_search_index_fails_succeeds_and_search_catches_up()
    {
        using var owner = api.ClientFor(await api.RegisterVerified());
        using var anonymous = api.NewClient();
        var category = (await (await anonymous.GetAsync("/api/v1/categories")).Json()).GetProperty("items")[0].GetProperty("id").GetGuid();
        var marker = $"zr{Guid.NewGuid():N}"[..10];
        var item = await (await owner.PostAsJsonAsync("/api/v1/items", new
        {
            title = $"Desk lamp {marker} brass",
            description = "Brass desk lamp with a green glass shade, works perfectly, bulb included, from a smoke-free home.",
            categoryId = category,
            condition = "good",
            priceMinor = 2_000,
        })).Json();
        var itemId = item.GetProperty("id").GetGuid();
        using (var form = new MultipartFormDataContent { { new ByteArrayContent(TestImages.Jpeg(300, 200)), "file", "lamp.jpg" } })
            Assert.Equal(HttpStatusCode.Created, (await owner.PostAsync($"/api/v1/items/{itemId}/photos", form)).StatusCode);

        await Sql.ExecuteAsync(TestEnvironment.Owner(api.Postgres), "alter table search_items rename to search_items_away");
        try
        {
            var published = await owner.PostAsync($"/api/v1/items/{itemId}/publish", null);
            Assert.Equal(HttpStatusCode.OK, published.StatusCode);
            Assert.Equal("active", (await published.Json()).GetProperty("status").GetString());
        }
        finally
        {
            await Sql.ExecuteAsync(TestEnvironment.Owner(api.Postgres), "alter table search_items_away rename to search_items");
        }

        async Task<bool> Found()
        {
            var page = await (await anonymous.GetAsync($"/api/v1/items?q={marker}")).Json();
            return page.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("id").GetGuid() == itemId);
        }
        Assert.False(await Found());

        // The item grain retries its projection on a 5 s timer, which fires now; the projection is written right after.
        api.GrainClock.Advance(TimeSpan.FromSeconds(5));
        var found = false;
        for (var attempt = 0; attempt < 100 && !found; attempt++)
        {
            found = await Found();
            if (!found) await Task.Delay(100); // a poll, bounded only so that a broken repair fails instead of hanging
        }
        Assert.True(found, "the item should reach search once the index is back and the retry timer fires");
    }
}
