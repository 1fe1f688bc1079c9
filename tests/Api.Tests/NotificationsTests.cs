using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using NeXChange.Notifications;

namespace NeXChange.Api.Tests;

/// <summary>The notification feed over HTTP (SPEC.md 6.10, 8.2): producers, paging, marking read, bad input, email.</summary>
public sealed class NotificationsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private Notifier Notifier => api.SiloServices.GetRequiredService<Notifier>();

    private static async Task<JsonElement> Feed(HttpClient client, string query = "")
    {
        var response = await client.GetAsync($"/api/v1/me/notifications{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Json();
    }

    private static List<JsonElement> Items(JsonElement feed) => feed.GetProperty("items").EnumerateArray().ToList();

    private static Task<HttpResponseMessage> MarkRead(HttpClient client, string json) =>
        client.PostAsync("/api/v1/me/notifications/read", new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>Publishes <paramref name="count"/> grant_received events to the user straight through the silo's Notifier.</summary>
    private async Task<List<Guid>> Publish(Guid userId, int count)
    {
        var events = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var eventId = Guid.NewGuid();
            await Notifier.PublishAsync(new NotificationEvent(eventId, NotificationTypes.GrantReceived, [userId], null, null,
                new Dictionary<string, object?> { ["amountMinor"] = 100L + i }));
            events.Add(eventId);
        }
        return events;
    }

    private static async Task<string> DisplayName(HttpClient client) =>
        (await (await client.GetAsync("/api/v1/me")).Json()).GetProperty("displayName").GetString()!;

    [Fact]
    public async Task a_transfer_notifies_the_recipient_once_and_not_the_sender()
    {
        var a = await api.RegisterVerified();
        var b = await api.RegisterVerified();
        using var alice = api.ClientFor(a);
        using var bob = api.ClientFor(b);
        var key = Guid.NewGuid().ToString();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/credits/transfers")
            {
                Content = JsonContent.Create(new { toUserId = b.Id, amountMinor = 2_500, memo = "for the bike lock" }),
            };
            request.Headers.Add("Idempotency-Key", key);
            Assert.Equal(HttpStatusCode.Created, (await alice.SendAsync(request)).StatusCode);
        }

        var feed = await Feed(bob);
        var entry = Assert.Single(Items(feed));
        Assert.Equal("transfer_received", entry.GetProperty("type").GetString());
        var data = entry.GetProperty("data");
        Assert.Equal(2_500, data.GetProperty("amountMinor").GetInt64());
        Assert.Equal(a.Id, data.GetProperty("counterpartyId").GetGuid());
        Assert.Equal(await DisplayName(alice), data.GetProperty("counterpartyDisplayName").GetString());
        Assert.False(data.TryGetProperty("memo", out _));
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("readAt").ValueKind);
        Assert.Equal(1, feed.GetProperty("unreadCount").GetInt32());
        Assert.Empty(Items(await Feed(alice)));
    }

    [Fact]
    public async Task a_refused_transfer_notifies_nobody_because_the_notice_commits_with_the_posting()
    {
        var a = await api.RegisterVerified();
        var b = await api.RegisterVerified();
        using var alice = api.ClientFor(a);
        using var bob = api.ClientFor(b);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/credits/transfers")
        {
            Content = JsonContent.Create(new { toUserId = b.Id, amountMinor = 10_001 }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await alice.SendAsync(request)).StatusCode);
        Assert.Empty(Items(await Feed(bob)));
    }

    [Fact]
    public async Task an_admin_grant_notifies_the_user_grant_received()
    {
        var user = await api.RegisterVerified();
        using var ops = api.ClientFor(await api.Admin());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/credits/grants")
        {
            Content = JsonContent.Create(new { userId = user.Id, amountMinor = 5_000, reason = "welcome back bonus" }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Created, (await ops.SendAsync(request)).StatusCode);

        using var client = api.ClientFor(user);
        var entry = Assert.Single(Items(await Feed(client)));
        Assert.Equal("grant_received", entry.GetProperty("type").GetString());
        Assert.Equal(5_000, entry.GetProperty("data").GetProperty("amountMinor").GetInt64());
        Assert.False(entry.GetProperty("data").TryGetProperty("reason", out _));
    }

    [Fact]
    public async Task an_item_sent_to_review_by_a_recall_hit_notifies_its_owner()
    {
        var user = await api.RegisterVerified();
        using var owner = api.ClientFor(user);
        var created = await owner.PostAsJsonAsync("/api/v1/items", new
        {
            title = "Baby crib with mattress, barely used",
            description = "Solid wood crib with a firm mattress, kept in a smoke-free home, all screws included.",
            categoryId = await api.CategoryId("Bicycles"),
            condition = "good",
            priceMinor = 12_500,
            attributes = new { brand = ApiFixture.RecalledBrand, model = ApiFixture.RecalledModel },
        });
        var itemId = (await created.Json()).GetProperty("id").GetGuid();
        using var form = new MultipartFormDataContent { { new ByteArrayContent(TestImages.Jpeg()), "file", "crib.jpg" } };
        Assert.Equal(HttpStatusCode.Created, (await owner.PostAsync($"/api/v1/items/{itemId}/photos", form)).StatusCode);
        var published = await (await owner.PostAsync($"/api/v1/items/{itemId}/publish", null)).Json();
        Assert.Equal("pending_review", published.GetProperty("status").GetString());

        var entry = Assert.Single(Items(await Feed(owner)));
        Assert.Equal("item_review", entry.GetProperty("type").GetString());
        Assert.Equal(itemId, entry.GetProperty("itemId").GetGuid());
        Assert.Equal("Baby crib with mattress, barely used", entry.GetProperty("data").GetProperty("itemTitle").GetString());
        Assert.Equal("recall", entry.GetProperty("data").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task the_feed_pages_newest_first_with_a_cursor_bound_to_its_owner()
    {
        var user = await api.RegisterVerified();
        var other = await api.RegisterVerified();
        using var client = api.ClientFor(user);
        using var stranger = api.ClientFor(other);
        await Publish(user.Id, 5);

        var seen = new List<JsonElement>();
        string? before = null;
        var pages = 0;
        do
        {
            var page = await Feed(client, $"?limit=2{(before is null ? "" : $"&before={before}")}");
            seen.AddRange(Items(page));
            before = page.GetProperty("nextBefore").GetString();
            pages++;
        } while (before is not null);

        Assert.Equal(3, pages);
        Assert.Equal(5, seen.Count);
        Assert.Equal([104L, 103, 102, 101, 100], seen.Select(n => n.GetProperty("data").GetProperty("amountMinor").GetInt64()));
        Assert.Equal(5, seen.Select(n => n.GetProperty("id").GetGuid()).Distinct().Count());

        var cursor = (await Feed(client, "?limit=2")).GetProperty("nextBefore").GetString()!;
        var tampered = cursor[..^1] + (cursor[^1] == 'A' ? 'B' : 'A');
        foreach (var (who, query) in new[] { (client, $"?before={tampered}"), (stranger, $"?before={cursor}"), (client, "?before=not-a-cursor") })
        {
            var refused = await who.GetAsync($"/api/v1/me/notifications{query}");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("invalid_cursor", (await refused.Json()).GetProperty("code").GetString());
        }
        foreach (var query in new[] { "?limit=0", "?limit=101", "?unreadOnly=maybe" })
        {
            var refused = await client.GetAsync($"/api/v1/me/notifications{query}");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("validation_failed", (await refused.Json()).GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task marking_by_ids_and_all_moves_entries_out_of_the_unread_list()
    {
        var user = await api.RegisterVerified();
        using var client = api.ClientFor(user);
        await Publish(user.Id, 3);
        var ids = Items(await Feed(client)).Select(n => n.GetProperty("id").GetGuid()).ToList();

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync("/api/v1/me/notifications/read", new { ids = new[] { ids[0] } })).StatusCode);

        var unread = await Feed(client, "?unreadOnly=true");
        Assert.Equal(ids[1..], Items(unread).Select(n => n.GetProperty("id").GetGuid()));
        Assert.Equal(2, unread.GetProperty("unreadCount").GetInt32());
        var all = Items(await Feed(client));
        Assert.Equal(3, all.Count);
        Assert.NotEqual(JsonValueKind.Null, all[0].GetProperty("readAt").ValueKind);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync("/api/v1/me/notifications/read", new { all = true })).StatusCode);

        var after = await Feed(client, "?unreadOnly=true");
        Assert.Empty(Items(after));
        Assert.Equal(0, after.GetProperty("unreadCount").GetInt32());
        Assert.All(Items(await Feed(client)), n => Assert.NotEqual(JsonValueKind.Null, n.GetProperty("readAt").ValueKind));
    }

    [Fact]
    public async Task someone_elses_ids_change_nothing()
    {
        var owner = await api.RegisterVerified();
        var other = await api.RegisterVerified();
        using var client = api.ClientFor(owner);
        using var stranger = api.ClientFor(other);
        await Publish(owner.Id, 2);
        var ids = Items(await Feed(client)).Select(n => n.GetProperty("id").GetGuid()).ToList();

        Assert.Equal(HttpStatusCode.NoContent, (await stranger.PostAsJsonAsync("/api/v1/me/notifications/read", new { ids })).StatusCode);

        Assert.Equal(2, (await Feed(client)).GetProperty("unreadCount").GetInt32());
    }

    [Fact]
    public async Task bad_read_bodies_are_refused_and_change_nothing()
    {
        var user = await api.RegisterVerified();
        using var client = api.ClientFor(user);
        await Publish(user.Id, 1);
        var id = Items(await Feed(client))[0].GetProperty("id").GetGuid();
        var tooMany = JsonSerializer.Serialize(new { ids = Enumerable.Range(0, 100).Select(_ => Guid.NewGuid()).Append(id) });

        foreach (var body in new[]
        {
            $$"""{"ids":["{{id}}"],"all":true}""", tooMany, $$"""{"ids":["{{id}}"],"read":true}""", """{"all":false}""", "{}",
            """{"ids":["not-a-uuid"]}""", "[]",
        })
        {
            var refused = await MarkRead(client, body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("validation_failed", (await refused.Json()).GetProperty("code").GetString());
        }
        Assert.Equal(1, (await Feed(client)).GetProperty("unreadCount").GetInt32());
    }

    [Fact]
    public async Task an_offer_email_follows_the_recipients_setting()
    {
        var keen = await api.RegisterVerified();
        var quiet = await api.RegisterVerified();
        using var quietClient = api.ClientFor(quiet);
        var settings = new { emailOffers = false, emailEscrow = true, emailDisputes = true, units = "mi", timezone = "America/New_York" };
        Assert.Equal(HttpStatusCode.OK, (await quietClient.PutAsJsonAsync("/api/v1/me/settings", settings)).StatusCode);
        var mailedBefore = (api.MailTo(keen.Email).Count, api.MailTo(quiet.Email).Count);
        var tradeId = Guid.CreateVersion7();

        await Notifier.PublishAsync(new NotificationEvent(NotificationEvent.IdFor($"trade:{tradeId}:offer_received"),
            NotificationTypes.OfferReceived, [keen.Id, quiet.Id], tradeId, Guid.CreateVersion7(),
            new Dictionary<string, object?> { ["itemTitle"] = "Vintage road bike", ["offerMinor"] = 12_000L, ["counterpartyDisplayName"] = "Brave Otter" }));
        await Notifier.PublishAsync(new NotificationEvent(Guid.NewGuid(), NotificationTypes.TransferReceived, [keen.Id], null, null,
            new Dictionary<string, object?> { ["amountMinor"] = 500L }));

        var mail = Assert.Single(api.MailTo(keen.Email).Skip(mailedBefore.Item1));
        Assert.Contains("Vintage road bike", mail);
        Assert.Contains("Brave Otter", mail);
        Assert.Contains("120.00 credits", mail);
        Assert.Contains($"http://127.0.0.1/trades/{tradeId}", mail);
        Assert.Equal(mailedBefore.Item2, api.MailTo(quiet.Email).Count);
        Assert.Equal("offer_received", Assert.Single(Items(await Feed(quietClient))).GetProperty("type").GetString());
    }
}
