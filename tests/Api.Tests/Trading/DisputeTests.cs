using Microsoft.Extensions.DependencyInjection;
using System.Net;
using static NeXChange.Api.Tests.Trading.TradeLifecycleTests;

namespace NeXChange.Api.Tests.Trading;

/// <summary>Disputes (SPEC.md 6.8): each resolution's one ledger transaction and item state, the rules around them.</summary>
public sealed class DisputeTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Description = "The frame has a crack that was not in the photos.";

    private async Task<(TradeRig Rig, Guid TradeId, Guid DisputeId, long Fees)> Disputed()
    {
        var rig = await TradeRig.Create(api);
        var fees = await rig.Fees();
        var (id, meetup) = await rig.Scheduled(Price);
        await rig.AdvanceTo(meetup);
        var dispute = await TradeRig.Ok(rig.Buyer, TradeRig.Post($"/api/v1/trades/{id}/dispute", new { reason = "damaged", description = Description }),
            HttpStatusCode.Created);
        Assert.Equal("disputed", (await TradeRig.Get(rig.Seller, id)).GetProperty("status").GetString());
        Assert.Equal(Held, await Money.Of(rig, fees));
        return (rig, id, dispute.GetProperty("id").GetGuid(), fees);
    }

    private async Task<System.Text.Json.JsonElement> Resolve(Guid disputeId, object body)
    {
        using var moderator = api.ClientFor(await api.Admin());
        return await TradeRig.Ok(moderator, TradeRig.Post($"/api/v1/admin/disputes/{disputeId}/resolve", body));
    }

    [Theory]
    [InlineData("refund_full", "archived")]
    [InlineData("relist", "active")]
    [InlineData("release", "traded")]
    public async Task a_resolution_moves_the_escrow_once_and_sets_the_item(string resolution, string itemStatus)
    {
        var (rig, id, disputeId, fees) = await Disputed();
        var resolved = await Resolve(disputeId, new { resolution, atFault = "seller", note = "Photos show the damage clearly." });
        Assert.Equal("resolved", resolved.GetProperty("trade").GetProperty("status").GetString());
        Assert.Equal(resolution, resolved.GetProperty("dispute").GetProperty("resolution").GetString());
        Assert.NotEqual(Guid.Empty, resolved.GetProperty("transactionId").GetGuid());
        Assert.Equal(resolution == "release" ? Released : Refunded, await Money.Of(rig, fees));
        Assert.Equal(itemStatus, await rig.ItemStatus());
        using var moderator = api.ClientFor(await api.Admin());
        await TradeRig.Refused(moderator, TradeRig.Post($"/api/v1/admin/disputes/{disputeId}/resolve", new { resolution, note = "Second attempt here." }),
            HttpStatusCode.Conflict, "invalid_transition");
        Assert.Equal("resolved", (await TradeRig.Get(rig.Buyer, id)).GetProperty("status").GetString());
        await rig.AssertReconciled();
    }

    [Fact]
    public async Task a_partial_refund_splits_the_price_in_one_transaction_and_the_platform_keeps_the_fee()
    {
        var (rig, _, disputeId, fees) = await Disputed();
        using var moderator = api.ClientFor(await api.Admin());
        foreach (var refund in new[] { 0L, Price })
            await TradeRig.Refused(moderator, TradeRig.Post($"/api/v1/admin/disputes/{disputeId}/resolve",
                new { resolution = "refund_partial", refundMinor = refund, note = "Split the difference." }), HttpStatusCode.BadRequest, "validation_failed");
        await Resolve(disputeId, new { resolution = "refund_partial", refundMinor = 1_500, note = "Split the difference." });
        // escrow_split: ES(b) −P; AV(b) +R; AV(s) +(P − R); fee kept.
        Assert.Equal(new Money(Start - Price - Fee + 1_500, 0, Start + Price - 1_500, Fee), await Money.Of(rig, fees));
        Assert.Equal("traded", await rig.ItemStatus());
        await rig.AssertReconciled();
    }

    [Fact]
    public async Task the_other_party_answers_once_and_each_party_sees_only_its_own_text()
    {
        var (rig, id, _, _) = await Disputed();
        await TradeRig.Refused(rig.Buyer, TradeRig.Post($"/api/v1/trades/{id}/dispute/response", new { description = "I opened it, so I cannot answer." }),
            HttpStatusCode.Forbidden, "forbidden");
        var answered = await TradeRig.Ok(rig.Seller, TradeRig.Post($"/api/v1/trades/{id}/dispute/response", new { description = "It was sold as seen, with a small scratch." }));
        Assert.Equal("open", answered.GetProperty("status").GetString());
        await TradeRig.Refused(rig.Seller, TradeRig.Post($"/api/v1/trades/{id}/dispute/response", new { description = "And another thing about the bike." }),
            HttpStatusCode.Conflict, "already_submitted");

        var buyerView = await TradeRig.Ok(rig.Buyer, new HttpRequestMessage(HttpMethod.Get, $"/api/v1/trades/{id}/dispute"));
        Assert.Equal(Description, buyerView.GetProperty("description").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, buyerView.GetProperty("response").ValueKind);
        var sellerView = await TradeRig.Ok(rig.Seller, new HttpRequestMessage(HttpMethod.Get, $"/api/v1/trades/{id}/dispute"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, sellerView.GetProperty("description").ValueKind);
        using var moderator = api.ClientFor(await api.Admin());
        var everything = await TradeRig.Ok(moderator, new HttpRequestMessage(HttpMethod.Get, $"/api/v1/trades/{id}/dispute"));
        Assert.Equal(Description, everything.GetProperty("description").GetString());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, everything.GetProperty("response").ValueKind);
    }

    [Fact]
    public async Task a_disputed_trade_refuses_party_actions_and_its_timers_are_suspended_until_escalation()
    {
        var (rig, id, disputeId, fees) = await Disputed();
        foreach (var action in new[] { "handoff", "arrived" })
            await TradeRig.Refused(rig.Seller, TradeRig.Post($"/api/v1/trades/{id}/{action}"), HttpStatusCode.Conflict, "invalid_transition");
        await TradeRig.Refused(rig.Buyer, TradeRig.Post($"/api/v1/trades/{id}/dispute", new { reason = "other", description = Description }),
            HttpStatusCode.Conflict, "invalid_transition");
        var opened = (await TradeRig.Get(rig.Buyer, id)).GetProperty("heldAt").GetDateTimeOffset();
        await rig.AdvanceTo(opened + TimeSpan.FromDays(31));
        Assert.Equal("disputed", (await TradeRig.Get(rig.Buyer, id)).GetProperty("status").GetString());
        Assert.Equal(Held, await Money.Of(rig, fees));

        using var moderator = api.ClientFor(await api.Admin());
        var queue = await TradeRig.Ok(moderator, new HttpRequestMessage(HttpMethod.Get, "/api/v1/admin/disputes?status=open&escalated=true&limit=100"));
        Assert.Contains(queue.GetProperty("items").EnumerateArray(), i => i.GetProperty("dispute").GetProperty("id").GetGuid() == disputeId);
    }

    [Fact]
    public async Task the_queue_lists_escalated_disputes_first_then_the_oldest_and_pages_with_a_cursor()
    {
        var older = await Disputed();
        var newer = await Disputed();
        using var moderator = api.ClientFor(await api.Admin());
        var seen = new List<Guid>();
        string? before = null;
        do
        {
            var page = await TradeRig.Ok(moderator, new HttpRequestMessage(HttpMethod.Get,
                $"/api/v1/admin/disputes?status=open&limit=1{(before is null ? "" : $"&before={before}")}"));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("dispute").GetProperty("id").GetGuid()));
            before = page.GetProperty("nextBefore").GetString();
        } while (before is not null);
        var mine = seen.Where(d => d == older.DisputeId || d == newer.DisputeId).ToList();
        Assert.Equal([older.DisputeId, newer.DisputeId], mine);
        await TradeRig.Refused(moderator, new HttpRequestMessage(HttpMethod.Get, "/api/v1/admin/disputes?before=AAAA"), HttpStatusCode.BadRequest, "invalid_cursor");
        await TradeRig.Refused(older.Rig.Buyer, new HttpRequestMessage(HttpMethod.Get, "/api/v1/admin/disputes"), HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task a_user_opens_at_most_five_disputes_a_month()
    {
        var buyer = await api.RegisterVerified();
        using var buyerClient = api.ClientFor(buyer);
        await TradeRig.Grant(api, buyer.Id, 30_000);
        var opened = 0;
        for (var i = 0; i < 6; i++)
        {
            var rig = await TradeRig.Create(api);
            var offered = await TradeRig.Ok(buyerClient, TradeRig.Post("/api/v1/trades", new { itemId = rig.ItemId, offerMinor = 1_000 }), HttpStatusCode.Created);
            var id = offered.GetProperty("id").GetGuid();
            await TradeRig.Act(rig.Seller, id, "accept");
            var zone = await rig.SafeZone();
            await TradeRig.Act(buyerClient, id, "location", new { choice = "safe_zone", safeZoneId = zone });
            await TradeRig.Act(rig.Seller, id, "location", new { choice = "accept_partner" });
            var meetup = TradeRig.WholeMinute(offered.GetProperty("createdAt").GetDateTimeOffset() + TimeSpan.FromHours(2));
            await TradeRig.Act(rig.Seller, id, "time", new { proposedAt = meetup });
            await TradeRig.Act(buyerClient, id, "time/accept", new { proposedAt = meetup });
            var response = await buyerClient.SendAsync(TradeRig.Post($"/api/v1/trades/{id}/dispute", new { reason = "unsafe", description = Description }));
            if (response.StatusCode == HttpStatusCode.Created) opened++;
            else Assert.Equal("dispute_limit_reached", (await response.Json()).GetProperty("code").GetString());
        }
        Assert.Equal(5, opened);
    }
}

/// <summary>Dispute evidence (SPEC.md 6.8): images through the photo pipeline, kept privately, shown to moderators only.</summary>
public sealed class DisputeEvidenceTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static MultipartFormDataContent Form(string? reason, string description, params byte[][] images)
    {
        var form = new MultipartFormDataContent();
        if (reason is not null) form.Add(new StringContent(reason), "reason");
        form.Add(new StringContent(description), "description");
        for (var i = 0; i < images.Length; i++)
        {
            var file = new ByteArrayContent(images[i]);
            file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "evidence", $"evidence-{i}.jpg");
        }
        return form;
    }

    [Fact]
    public async Task evidence_images_reach_moderators_as_signed_urls_and_never_the_other_party()
    {
        var rig = await TradeRig.Create(api);
        var (id, meetup) = await rig.Scheduled(TradeLifecycleTests.Price);
        await rig.AdvanceTo(meetup);

        var tooMany = await rig.Buyer.PostAsync($"/api/v1/trades/{id}/dispute",
            Form("damaged", "Six photos of the same crack on the frame.", [.. Enumerable.Repeat(TestImages.Jpeg(64, 48), 6)]));
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        var notAnImage = await rig.Buyer.PostAsync($"/api/v1/trades/{id}/dispute",
            Form("damaged", "This file is not an image at all, sadly.", "<html>hello</html>"u8.ToArray()));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notAnImage.StatusCode);
        Assert.Equal("unsupported_media_type", (await notAnImage.Json()).GetProperty("code").GetString());
        Assert.Equal("scheduled", (await TradeRig.Get(rig.Buyer, id)).GetProperty("status").GetString());

        // One good image, then a bad one: the request is refused, and the good image it stored is left unreferenced.
        var half = await rig.Buyer.PostAsync($"/api/v1/trades/{id}/dispute",
            Form("damaged", "The first photo is fine, the second is not.", TestImages.Jpeg(200, 100), "not an image"u8.ToArray()));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, half.StatusCode);
        var opened = await rig.Buyer.PostAsync($"/api/v1/trades/{id}/dispute",
            Form("damaged", "The frame has a crack that was not in the photos.", TestImages.Jpeg(640, 480), TestImages.Png(300, 300)));
        Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
        var answered = await rig.Seller.PostAsync($"/api/v1/trades/{id}/dispute/response",
            Form(null, "Here is the frame at the handoff, intact.", TestImages.Jpeg(320, 240)));
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);

        var sellerView = await TradeRig.Ok(rig.Seller, new HttpRequestMessage(HttpMethod.Get, $"/api/v1/trades/{id}/dispute"));
        Assert.Empty(sellerView.GetProperty("evidence").EnumerateArray());
        using var moderator = api.ClientFor(await api.Admin());
        var full = await TradeRig.Ok(moderator, new HttpRequestMessage(HttpMethod.Get, $"/api/v1/trades/{id}/dispute"));
        var urls = full.GetProperty("evidence").EnumerateArray().Select(u => u.GetString()!).ToList();
        Assert.Equal(2, urls.Count);
        Assert.Single(full.GetProperty("response").GetProperty("evidence").EnumerateArray());

        // The fixture's public base URL names no port; the media route is the API's own.
        var signed = new Uri(urls[0]).PathAndQuery;
        using var anyone = new HttpClient { BaseAddress = api.BaseAddress };
        var image = await anyone.GetAsync(signed);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/jpeg", image.Content.Headers.ContentType?.MediaType);
        var unsigned = await anyone.GetAsync(signed.Split('?')[0]);
        Assert.NotEqual(HttpStatusCode.OK, unsigned.StatusCode);

        // Once older than the grace period the daily cleanup removes the refused request's image and keeps the dispute's evidence.
        var folder = Path.Combine(api.DataDir, "blobs", "private", "disputes", id.ToString("N"));
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            File.SetLastWriteTimeUtc(file, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var report = await api.SiloServices.GetRequiredService<IGrainFactory>().GetGrain<NeXChange.Maintenance.IMaintenanceGrain>(0).RunDaily();
        Assert.True(report.OrphanBlobsDeleted > 0);
        // The filesystem store may leave an emptied folder behind: count the folders that still hold images.
        Assert.Equal(3, Directory.GetDirectories(folder).Count(d => Directory.EnumerateFiles(d).Any()));
        Assert.Equal(HttpStatusCode.OK, (await anyone.GetAsync(signed)).StatusCode);
    }

    [Fact]
    public async Task the_counterpartys_photo_opens_through_its_signed_url_only_while_escrow_is_held()
    {
        var rig = await TradeRig.Create(api);
        await TradeRig.SetPhoto(rig.Seller);
        var (id, meetup) = await rig.Scheduled(TradeLifecycleTests.Price);
        var photoPath = $"/api/v1/users/{rig.SellerUser.Id}/photo?tradeId={id}";
        var grant = await TradeRig.Ok(rig.Buyer, new HttpRequestMessage(HttpMethod.Get, photoPath));
        using var anyone = new HttpClient { BaseAddress = api.BaseAddress };
        var image = await anyone.GetAsync(new Uri(grant.GetProperty("url").GetString()!).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/jpeg", image.Content.Headers.ContentType?.MediaType);

        await rig.AdvanceTo(meetup);
        await TradeRig.Act(rig.Buyer, id, "handoff");
        await TradeRig.Act(rig.Seller, id, "handoff");
        await TradeRig.Refused(rig.Buyer, new HttpRequestMessage(HttpMethod.Get, photoPath), HttpStatusCode.NotFound, "not_found");
    }
}
