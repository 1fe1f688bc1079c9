using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SixLabors.ImageSharp;

namespace NeXChange.Api.Tests;

/// <summary>The listing workflow over HTTP: drafts, photos, publish, archive, review, and hostile input.</summary>
public sealed class ItemsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private async Task<object> Draft(string title = "Vintage road bike, 54 cm frame", object? attributes = null) => new
    {
        title,
        description = "Steel frame road bike, recently serviced, new tyres and brake pads. Rides smoothly and shifts cleanly.",
        categoryId = await api.CategoryId("Bicycles"),
        condition = "good",
        priceMinor = 12_500,
        tags = new[] { "Bike", "road", "bike" },
        attributes = attributes ?? new { brand = "Peugeot", frame_size = "54" },
    };

    private static async Task<HttpResponseMessage> Upload(HttpClient client, Guid itemId, byte[] bytes, string name = "photo.jpg")
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", name);
        return await client.PostAsync($"/api/v1/items/{itemId}/photos", form);
    }

    private async Task<(HttpClient Owner, Guid ItemId)> CreateDraft(object? body = null)
    {
        var owner = api.ClientFor(await api.RegisterVerified());
        var created = await owner.PostAsJsonAsync("/api/v1/items", body ?? await Draft());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (owner, (await created.Json()).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task a_draft_gets_photos_is_published_and_archived_with_visibility_following_its_status()
    {
        var (owner, itemId) = await CreateDraft();
        var draft = await (await owner.GetAsync($"/api/v1/items/{itemId}")).Json();
        Assert.Equal("draft", draft.GetProperty("status").GetString());
        Assert.Equal(["bike", "road"], draft.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("New York area", draft.GetProperty("generalArea").GetString());

        using var anonymous = api.NewClient();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/v1/items/{itemId}")).StatusCode);

        var early = await owner.PostAsync($"/api/v1/items/{itemId}/publish", null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, early.StatusCode);
        var problem = await early.Json();
        Assert.Equal("publish_requirements_not_met", problem.GetProperty("code").GetString());
        Assert.Equal(["photos"], problem.GetProperty("missing").EnumerateArray().Select(m => m.GetString()));

        foreach (var (bytes, name) in new[] { (TestImages.Jpeg(), "a.jpg"), (TestImages.Png(), "b.png"), (TestImages.WebP(), "c.webp") })
            Assert.Equal(HttpStatusCode.Created, (await Upload(owner, itemId, bytes, name)).StatusCode);

        var published = await (await owner.PostAsync($"/api/v1/items/{itemId}/publish", null)).Json();
        Assert.Equal("active", published.GetProperty("status").GetString());
        Assert.Equal("clear", published.GetProperty("safetyCheck").GetProperty("outcome").GetString());
        Assert.Equal(3, published.GetProperty("photos").GetArrayLength());

        var seen = await (await anonymous.GetAsync($"/api/v1/items/{itemId}")).Json();
        Assert.False(seen.TryGetProperty("safetyCheck", out _));
        Assert.False(seen.TryGetProperty("needsReview", out _));

        var archived = await (await owner.PostAsync($"/api/v1/items/{itemId}/archive", null)).Json();
        Assert.Equal("archived", archived.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/v1/items/{itemId}")).StatusCode);

        var again = await owner.PostAsync($"/api/v1/items/{itemId}/publish", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("archived", (await again.Json()).GetProperty("currentStatus").GetString());
    }

    [Fact]
    public async Task stored_photos_have_every_variant_and_no_metadata()
    {
        var (owner, itemId) = await CreateDraft();
        var photo = await (await Upload(owner, itemId, TestImages.Jpeg(1200, 900, withGps: true))).Json();
        Assert.Equal(0, photo.GetProperty("position").GetInt32());
        Assert.Equal(1200, photo.GetProperty("width").GetInt32());

        using var anonymous = api.NewClient();
        var urls = photo.GetProperty("urls");
        foreach (var (variant, size) in new[] { ("thumb", (150, 150)), ("w400", (400, 300)), ("w800", (800, 600)), ("master", (1200, 900)) })
        {
            var response = await anonymous.GetAsync(new Uri(urls.GetProperty(variant).GetString()!).PathAndQuery);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("immutable", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
            using var image = Image.Load(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(size, (image.Width, image.Height));
            Assert.Null(image.Metadata.ExifProfile);
            Assert.Null(image.Metadata.XmpProfile);
        }
        var webp = await anonymous.GetAsync(new Uri(photo.GetProperty("webpUrls").GetProperty("w400").GetString()!).PathAndQuery);
        Assert.Equal("image/webp", webp.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task photos_are_reordered_by_exact_permutation_and_an_active_item_keeps_one()
    {
        var (owner, itemId) = await CreateDraft();
        var first = (await (await Upload(owner, itemId, TestImages.Jpeg(300, 200))).Json()).GetProperty("id").GetGuid();
        var second = (await (await Upload(owner, itemId, TestImages.Png(200, 300))).Json()).GetProperty("id").GetGuid();

        var reordered = await (await owner.PutAsJsonAsync($"/api/v1/items/{itemId}/photos/order", new { photoIds = new[] { second, first } })).Json();
        Assert.Equal([second, first], reordered.GetProperty("photos").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()));
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.PutAsJsonAsync($"/api/v1/items/{itemId}/photos/order", new { photoIds = new[] { second } })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.PutAsJsonAsync($"/api/v1/items/{itemId}/photos/order", new { photoIds = new[] { second, second } })).StatusCode);

        await owner.PostAsync($"/api/v1/items/{itemId}/publish", null);
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/v1/items/{itemId}/photos/{second}")).StatusCode);
        var last = await owner.DeleteAsync($"/api/v1/items/{itemId}/photos/{first}");
        Assert.Equal(HttpStatusCode.Conflict, last.StatusCode);
        Assert.Equal("invalid_transition", (await last.Json()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await owner.DeleteAsync($"/api/v1/items/{itemId}/photos/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task hostile_uploads_are_refused_with_stable_codes_and_add_nothing()
    {
        var (owner, itemId) = await CreateDraft();
        var jpeg = TestImages.Jpeg();
        var cases = new (byte[] Bytes, HttpStatusCode Status, string Code)[]
        {
            (Encoding.UTF8.GetBytes("<html><script>alert(1)</script></html>"), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type"),
            ([], HttpStatusCode.UnprocessableEntity, "image_invalid"),
            (jpeg[..(jpeg.Length / 2)], HttpStatusCode.UnprocessableEntity, "image_invalid"),
            (TestImages.Png(4001, 10), HttpStatusCode.UnprocessableEntity, "image_invalid"),
            (new byte[10 * 1024 * 1024 + 1], HttpStatusCode.RequestEntityTooLarge, "payload_too_large"),
        };
        foreach (var (bytes, status, code) in cases)
        {
            var response = await Upload(owner, itemId, bytes);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal(code, (await response.Json()).GetProperty("code").GetString());
        }
        Assert.Equal(0, (await (await owner.GetAsync($"/api/v1/items/{itemId}")).Json()).GetProperty("photos").GetArrayLength());
    }

    [Fact]
    public async Task a_thirteenth_photo_is_refused()
    {
        var (owner, itemId) = await CreateDraft();
        for (var i = 0; i < 12; i++)
            Assert.Equal(HttpStatusCode.Created, (await Upload(owner, itemId, TestImages.Jpeg(160 + i, 120))).StatusCode);
        var thirteenth = await Upload(owner, itemId, TestImages.Jpeg(200, 120));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, thirteenth.StatusCode);
        Assert.Equal("photo_limit_reached", (await thirteenth.Json()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task invalid_fields_are_listed_and_nothing_is_created()
    {
        using var owner = api.ClientFor(await api.RegisterVerified());
        var response = await owner.PostAsJsonAsync("/api/v1/items", new
        {
            title = "short",
            description = "too short",
            categoryId = Guid.NewGuid(),
            condition = "mint",
            priceMinor = 99,
            tags = Enumerable.Range(0, 11).Select(i => $"t{i}").ToArray(),
            attributes = new Dictionary<string, string> { ["Brand Name"] = "x", ["model"] = "" },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var fields = (await response.Json()).GetProperty("errors").EnumerateArray()
            .ToDictionary(e => e.GetProperty("field").GetString()!, e => e.GetProperty("code").GetString());
        Assert.Equal("too_short", fields["title"]);
        Assert.Equal("too_short", fields["description"]);
        Assert.Equal("unknown_category", fields["categoryId"]);
        Assert.Equal("unknown_value", fields["condition"]);
        Assert.Equal("out_of_range", fields["priceMinor"]);
        Assert.Equal("too_long", fields["tags"]);
        Assert.Equal("invalid_format", fields["attributes.Brand Name"]);
        Assert.Equal("too_short", fields["attributes.model"]);

        var tooExpensive = await owner.PostAsJsonAsync("/api/v1/items", new { title = "A perfectly fine title", priceMinor = 10_000_001 });
        Assert.Equal(HttpStatusCode.BadRequest, tooExpensive.StatusCode);
        var unknownProperty = await owner.PostAsync("/api/v1/items",
            new StringContent("""{"title":"A perfectly fine title","ownerId":"00000000-0000-0000-0000-000000000000"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, unknownProperty.StatusCode);
        Assert.Empty((await (await owner.GetAsync("/api/v1/me/items")).Json()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task only_the_owner_edits_and_a_patch_changes_only_what_it_names()
    {
        var (owner, itemId) = await CreateDraft();
        using var stranger = api.ClientFor(await api.RegisterVerified());
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PatchAsJsonAsync($"/api/v1/items/{itemId}", new { priceMinor = 100 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsync($"/api/v1/items/{itemId}/archive", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Upload(stranger, itemId, TestImages.Jpeg())).StatusCode);

        var patched = await (await owner.PatchAsJsonAsync($"/api/v1/items/{itemId}", new { priceMinor = 9_900, knownIssues = (string?)null, tags = (string[]?)null })).Json();
        Assert.Equal(9_900, patched.GetProperty("priceMinor").GetInt64());
        Assert.Equal("Vintage road bike, 54 cm frame", patched.GetProperty("title").GetString());
        Assert.Equal(0, patched.GetProperty("tags").GetArrayLength());

        var cleared = await owner.PatchAsJsonAsync($"/api/v1/items/{itemId}", new { title = (string?)null });
        Assert.Equal(HttpStatusCode.BadRequest, cleared.StatusCode);
        var unknown = await owner.PatchAsJsonAsync($"/api/v1/items/{itemId}", new { status = "active" });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.PatchAsJsonAsync("/api/v1/items/not-a-uuid", new { priceMinor = 100 })).StatusCode);
    }

    [Fact]
    public async Task a_recall_list_hit_sends_the_item_to_moderator_review()
    {
        var (owner, itemId) = await CreateDraft(await Draft("Baby crib with mattress, barely used",
            new { brand = $" {ApiFixture.RecalledBrand.ToUpperInvariant()} ", model = ApiFixture.RecalledModel }));
        await Upload(owner, itemId, TestImages.Jpeg());
        var published = await (await owner.PostAsync($"/api/v1/items/{itemId}/publish", null)).Json();
        Assert.Equal("pending_review", published.GetProperty("status").GetString());
        Assert.Equal("recall", published.GetProperty("reviewReason").GetString());
        var check = published.GetProperty("safetyCheck");
        Assert.Equal("recall", check.GetProperty("outcome").GetString());
        Assert.Equal("local_list", check.GetProperty("source").GetString());
        Assert.Equal(["R-1001"], check.GetProperty("recallIds").EnumerateArray().Select(r => r.GetString()));

        using var plain = api.ClientFor(await api.RegisterVerified());
        Assert.Equal(HttpStatusCode.Forbidden, (await plain.GetAsync("/api/v1/admin/items/review")).StatusCode);

        using var moderator = api.ClientFor(await api.Admin());
        var queue = await (await moderator.GetAsync("/api/v1/admin/items/review?limit=100")).Json();
        Assert.Contains(queue.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetGuid() == itemId);

        var tooShort = await moderator.PostAsJsonAsync($"/api/v1/admin/items/{itemId}/review", new { action = "approve", reason = "ok" });
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.StatusCode);
        var approved = await (await moderator.PostAsJsonAsync($"/api/v1/admin/items/{itemId}/review",
            new { action = "approve", reason = "Model checked: not the recalled batch." })).Json();
        Assert.Equal("active", approved.GetProperty("status").GetString());
        queue = await (await moderator.GetAsync("/api/v1/admin/items/review?limit=100")).Json();
        Assert.DoesNotContain(queue.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetGuid() == itemId);
    }

    [Fact]
    public async Task a_sellers_public_list_shows_only_active_items_as_cards()
    {
        var seller = await api.RegisterVerified();
        using var owner = api.ClientFor(seller);
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var id = (await (await owner.PostAsJsonAsync("/api/v1/items", await Draft($"Road bike number {i} for sale"))).Json()).GetProperty("id").GetGuid();
            await Upload(owner, id, TestImages.Jpeg(200, 150));
            ids.Add(id);
        }
        await owner.PostAsync($"/api/v1/items/{ids[0]}/publish", null);
        await owner.PostAsync($"/api/v1/items/{ids[2]}/publish", null);

        using var anonymous = api.NewClient();
        var first = await (await anonymous.GetAsync($"/api/v1/users/{seller.Id}/items?limit=1")).Json();
        var card = Assert.Single(first.GetProperty("items").EnumerateArray());
        Assert.Equal(ids[2], card.GetProperty("id").GetGuid());
        Assert.Equal(seller.Id, card.GetProperty("seller").GetProperty("id").GetGuid());
        Assert.EndsWith("thumb.jpg", card.GetProperty("coverPhoto").GetProperty("thumb").GetString(), StringComparison.Ordinal);
        Assert.False(card.GetProperty("seller").TryGetProperty("email", out _));
        var second = await (await anonymous.GetAsync($"/api/v1/users/{seller.Id}/items?limit=1&before={first.GetProperty("nextBefore").GetString()}")).Json();
        Assert.Equal([ids[0]], second.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextBefore").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/v1/users/{Guid.NewGuid()}/items")).StatusCode);
        // A cursor from another list (the seller's own /me/items) or a forged one is refused.
        Assert.Equal("invalid_cursor", (await (await anonymous.GetAsync($"/api/v1/users/{seller.Id}/items?before=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")).Json()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await anonymous.GetAsync($"/api/v1/users/{seller.Id}/items?limit=0")).StatusCode);
    }

    [Fact]
    public async Task my_items_lists_every_status_of_the_caller_only_and_pages_with_a_cursor()
    {
        using var owner = api.ClientFor(await api.RegisterVerified());
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
            ids.Add((await (await owner.PostAsJsonAsync("/api/v1/items", await Draft($"Road bike number {i} for sale"))).Json()).GetProperty("id").GetGuid());
        await owner.PostAsync($"/api/v1/items/{ids[0]}/archive", null);

        var first = await (await owner.GetAsync("/api/v1/me/items?limit=2")).Json();
        Assert.Equal([ids[2], ids[1]], first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        var next = first.GetProperty("nextBefore").GetString();
        var second = await (await owner.GetAsync($"/api/v1/me/items?limit=2&before={next}")).Json();
        Assert.Equal([ids[0]], second.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextBefore").ValueKind);

        var archived = await (await owner.GetAsync("/api/v1/me/items?status=archived")).Json();
        Assert.Equal([ids[0]], archived.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.GetAsync("/api/v1/me/items?status=sold")).StatusCode);
        Assert.Equal("invalid_cursor", (await (await owner.GetAsync("/api/v1/me/items?before=abc")).Json()).GetProperty("code").GetString());

        using var other = api.ClientFor(await api.RegisterVerified());
        Assert.Empty((await (await other.GetAsync("/api/v1/me/items")).Json()).GetProperty("items").EnumerateArray());
        Assert.Equal("invalid_cursor", (await (await other.GetAsync($"/api/v1/me/items?before={next}")).Json()).GetProperty("code").GetString());
    }
}
