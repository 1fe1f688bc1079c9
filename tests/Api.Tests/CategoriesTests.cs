using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace NeXChange.Api.Tests;

public sealed class CategoriesTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static JsonElement.ArrayEnumerator Items(JsonElement body) => body.GetProperty("items").EnumerateArray();

    [Fact]
    public async Task the_default_tree_is_seeded_in_display_order()
    {
        using var client = api.NewClient();
        // Other tests of this class add categories of their own; the seeded ones keep their relative order.
        var seeded = new HashSet<string> { "Electronics", "Home & Garden", "Tools & DIY", "Sports & Outdoors", "Toys & Games", "Baby & Kids",
            "Books", "Music & Movies", "Clothing & Accessories", "Musical Instruments", "Collectibles & Art", "Other" };
        var tree = Items(await (await client.GetAsync("/api/v1/categories")).Json())
            .Where(c => seeded.Contains(c.GetProperty("name").GetString()!)).ToList();
        Assert.Equal(["Electronics", "Home & Garden", "Tools & DIY", "Sports & Outdoors", "Toys & Games", "Baby & Kids", "Books",
            "Music & Movies", "Clothing & Accessories", "Musical Instruments", "Collectibles & Art", "Other"],
            tree.Select(c => c.GetProperty("name").GetString()));
        var electronics = tree[0];
        Assert.Equal("electronics", electronics.GetProperty("slug").GetString());
        Assert.Equal(["Phones & Tablets", "Computers", "Audio & Video", "Cameras"],
            electronics.GetProperty("children").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task admins_add_rename_and_deactivate_categories_and_the_public_tree_follows()
    {
        using var ops = api.ClientFor(await api.Admin());
        var parent = await (await ops.PostAsJsonAsync("/api/v1/admin/categories", new { name = $"Garden Tools {Guid.NewGuid():N}"[..20], sortOrder = 99 })).Json();
        var parentId = parent.GetProperty("id").GetGuid();
        var created = await ops.PostAsJsonAsync("/api/v1/admin/categories", new { name = "Lawn Mowers", parentId });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var child = await created.Json();
        Assert.Equal("lawn-mowers", child.GetProperty("slug").GetString());

        var duplicate = await ops.PostAsJsonAsync("/api/v1/admin/categories", new { name = "LAWN MOWERS", parentId });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal("name_taken", (await duplicate.Json()).GetProperty("code").GetString());

        var deactivated = await ops.PutAsJsonAsync($"/api/v1/admin/categories/{parentId}",
            new { name = parent.GetProperty("name").GetString(), parentId = (Guid?)null, sortOrder = 99, active = false });
        Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);

        using var anonymous = api.NewClient();
        var tree = (await (await anonymous.GetAsync("/api/v1/categories")).Json()).GetRawText();
        Assert.DoesNotContain(parentId.ToString(), tree, StringComparison.Ordinal);
        Assert.DoesNotContain(child.GetProperty("id").GetGuid().ToString(), tree, StringComparison.Ordinal);
        var all = Items(await (await ops.GetAsync("/api/v1/admin/categories")).Json());
        Assert.Contains(all, c => c.GetProperty("id").GetGuid() == parentId && !c.GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task depth_cycles_and_bad_ids_are_refused()
    {
        using var ops = api.ClientFor(await api.Admin());
        var a = (await (await ops.PostAsJsonAsync("/api/v1/admin/categories", new { name = $"Level A {Guid.NewGuid():N}"[..16], sortOrder = 50 })).Json()).GetProperty("id").GetGuid();
        var b = (await (await ops.PostAsJsonAsync("/api/v1/admin/categories", new { name = "Level B", parentId = a })).Json()).GetProperty("id").GetGuid();
        var c = (await (await ops.PostAsJsonAsync("/api/v1/admin/categories", new { name = "Level C", parentId = b })).Json()).GetProperty("id").GetGuid();

        var tooDeep = await ops.PostAsJsonAsync("/api/v1/admin/categories", new { name = "Level D", parentId = c });
        Assert.Equal(HttpStatusCode.BadRequest, tooDeep.StatusCode);
        var cycle = await ops.PutAsJsonAsync($"/api/v1/admin/categories/{a}", new { name = "Level A", parentId = c, sortOrder = 0, active = true });
        Assert.Equal(HttpStatusCode.BadRequest, cycle.StatusCode);
        var unknown = await ops.PutAsJsonAsync($"/api/v1/admin/categories/{Guid.NewGuid()}", new { name = "Nope", parentId = (Guid?)null, sortOrder = 0, active = true });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var partial = await ops.PutAsJsonAsync($"/api/v1/admin/categories/{a}", new { name = "Level A" });
        Assert.Equal(HttpStatusCode.BadRequest, partial.StatusCode);
    }

    [Fact]
    public async Task only_admins_manage_categories()
    {
        using var user = api.ClientFor(await api.RegisterVerified());
        Assert.Equal(HttpStatusCode.Forbidden, (await user.PostAsJsonAsync("/api/v1/admin/categories", new { name = "Sneaky" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync("/api/v1/admin/categories")).StatusCode);
        using var anonymous = api.NewClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/admin/categories", new { name = "Sneaky" })).StatusCode);
    }
}
