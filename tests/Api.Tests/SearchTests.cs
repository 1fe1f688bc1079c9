using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace NeXChange.Api.Tests;

/// <summary>Find published items over HTTP the way an app does: words, category, price, radius, suggestions.</summary>
public sealed class SearchTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    /// <summary>A published item of a seller registered in <paramref name="zip"/> (New York 10001 or Newark 07102).</summary>
    private async Task<(HttpClient Seller, Guid ItemId)> Publish(string title, string category, long price, string zip = "10001")
    {
        using var anonymous = api.NewClient();
        var email = $"seller-{Guid.NewGuid():N}@example.org";
        var registered = await anonymous.PostAsJsonAsync("/api/v1/auth/register",
            new { email, password = TestUsers.Password, dateOfBirth = "1985-01-01", zipCode = zip, city = zip == "10001" ? "New York" : "Newark" });
        var token = (await registered.Json()).GetProperty("accessToken").GetString();
        var seller = api.NewClient();
        seller.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var item = await (await seller.PostAsJsonAsync("/api/v1/items", new
        {
            title,
            description = "In very good shape, always kept indoors, smoke-free home, pick-up only, cash not needed.",
            categoryId = await api.CategoryId(category),
            condition = "like_new",
            priceMinor = price,
        })).Json();
        var itemId = item.GetProperty("id").GetGuid();
        using var form = new MultipartFormDataContent { { new ByteArrayContent(TestImages.Jpeg(320, 240)), "file", "p.jpg" } };
        Assert.Equal(HttpStatusCode.Created, (await seller.PostAsync($"/api/v1/items/{itemId}/photos", form)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await seller.PostAsync($"/api/v1/items/{itemId}/publish", null)).StatusCode);
        return (seller, itemId);
    }

    private async Task<List<Guid>> Ids(string query)
    {
        using var client = api.NewClient();
        var response = await client.GetAsync($"/api/v1/items?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Json()).GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();
    }

    [Fact]
    public async Task a_published_item_is_found_by_words_category_price_and_radius_and_leaves_on_archive()
    {
        var marker = $"zq{Guid.NewGuid():N}"[..10];
        var (seller, itemId) = await Publish($"Cherry wood bookshelf {marker}", "Furniture", 4_500);
        var (_, far) = await Publish($"Walnut bookshelf {marker} tall", "Furniture", 9_000, zip: "07102");

        Assert.Contains(itemId, await Ids($"q={marker}+cherry+bookshelf"));
        Assert.Contains(itemId, await Ids($"q={marker}&category={await api.CategoryId("Home & Garden")}"));
        Assert.DoesNotContain(itemId, await Ids($"q={marker}&category={await api.CategoryId("Electronics")}"));
        Assert.Equal([itemId], await Ids($"q={marker}&minPriceMinor=4000&maxPriceMinor=5000"));

        // Newark is about 14 km from the New York ZIP centroid: inside 25 km, outside 5 km of Manhattan.
        var manhattan = "lat=40.75&lng=-73.99";
        Assert.Equal([itemId], await Ids($"q={marker}&{manhattan}&radiusKm=5"));
        Assert.Equal(2, (await Ids($"q={marker}&{manhattan}&radiusKm=25")).Count);
        Assert.Equal([itemId, far], await Ids($"q={marker}&{manhattan}&sort=distance"));

        using var client = api.NewClient();
        var page = await (await client.GetAsync($"/api/v1/items?q={marker}&{manhattan}&radiusKm=25")).Json();
        var card = page.GetProperty("items").EnumerateArray().First(i => i.GetProperty("id").GetGuid() == itemId);
        Assert.Equal(2, page.GetProperty("total").GetInt32());
        Assert.True(card.GetProperty("distanceKm").GetDouble() < 5);
        Assert.Equal("New York area", card.GetProperty("generalArea").GetString());
        Assert.False(card.TryGetProperty("lat", out _));
        Assert.DoesNotContain("40.75", card.GetRawText(), StringComparison.Ordinal);
        Assert.EndsWith("thumb.jpg", card.GetProperty("coverPhoto").GetProperty("thumb").GetString(), StringComparison.Ordinal);

        var suggestions = await (await client.GetAsync($"/api/v1/items/suggest?q={marker[..6]}")).Json();
        Assert.Contains(suggestions.GetProperty("suggestions").EnumerateArray(), s => s.GetProperty("text").GetString()!.Contains(marker, StringComparison.Ordinal));

        await seller.PostAsync($"/api/v1/items/{itemId}/archive", null);
        Assert.DoesNotContain(itemId, await Ids($"q={marker}"));
    }

    [Theory]
    [InlineData("radiusKm=10")]
    [InlineData("lat=91&lng=0")]
    [InlineData("lat=40")]
    [InlineData("minPriceMinor=500&maxPriceMinor=100")]
    [InlineData("pageSize=51")]
    [InlineData("page=100&pageSize=20")]
    [InlineData("sort=cheapest")]
    [InlineData("condition=mint")]
    [InlineData("category=not-a-uuid")]
    public async Task invalid_search_parameters_are_validation_errors(string query)
    {
        using var client = api.NewClient();
        var response = await client.GetAsync($"/api/v1/items?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation_failed", (await response.Json()).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("'; drop table search_items; --")]
    [InlineData("%_\\")]
    [InlineData("\"unbalanced")]
    [InlineData("café ☕ 自転車")]
    public async Task hostile_text_in_q_is_just_a_search(string q)
    {
        using var client = api.NewClient();
        var response = await client.GetAsync($"/api/v1/items?q={Uri.EscapeDataString(q)}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonValueKind.Array, (await response.Json()).GetProperty("items").ValueKind);
    }
}
