using System.Net;
using System.Net.Http.Json;
using NeXChange.TestSupport;

namespace NeXChange.Api.Tests;

/// <summary>A fixture of its own: this test takes the search projection away for a moment.</summary>
public sealed class ProjectionRepairFixture : ApiFixture;

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

        var found = false;
        for (var attempt = 0; attempt < 40 && !found; attempt++)
        {
            var page = await (await anonymous.GetAsync($"/api/v1/items?q={marker}")).Json();
            found = page.GetProperty("items").EnumerateArray().Any(i => i.GetProperty("id").GetGuid() == itemId);
            if (!found) await Task.Delay(500);
        }
        Assert.True(found, "the item should reach search once the index is back");
    }
}
