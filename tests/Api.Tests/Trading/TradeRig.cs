using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace NeXChange.Api.Tests.Trading;

/// <summary>
/// Two real users and a real listing, driven over HTTP as a client app would: the seller's published item near the
/// users' area (ZIP 10001 = 40.75, -74.00), a safe zone next to it, and the calls of SPEC.md 8.4.
/// </summary>
public sealed class TradeRig(ApiFixture api)
{
    public const long StartingCredits = 10_000;

    public HttpClient Buyer { get; private set; } = null!;
    public HttpClient Seller { get; private set; } = null!;
    public TestUser BuyerUser { get; private set; } = null!;
    public TestUser SellerUser { get; private set; } = null!;
    public Guid ItemId { get; private set; }

    public static async Task<TradeRig> Create(ApiFixture api)
    {
        var rig = new TradeRig(api);
        rig.SellerUser = await api.RegisterVerified();
        rig.BuyerUser = await api.RegisterVerified();
        rig.Seller = api.ClientFor(rig.SellerUser);
        rig.Buyer = api.ClientFor(rig.BuyerUser);
        rig.ItemId = await rig.PublishItem(rig.Seller);
        return rig;
    }

    public async Task<Guid> PublishItem(HttpClient owner)
    {
        var (itemId, _) = await DraftItem(owner, TestImages.Jpeg());
        var published = await owner.PostAsync($"/api/v1/items/{itemId}/publish", null);
        Assert.Equal("active", (await published.Json()).GetProperty("status").GetString());
        return itemId;
    }

    /// <summary>An unpublished listing of the owner's with the given photos; returns it and the photo objects the API answered.</summary>
    public async Task<(Guid Id, List<JsonElement> Photos)> DraftItem(HttpClient owner, params byte[][] images)
    {
        var created = await owner.PostAsJsonAsync("/api/v1/items", new
        {
            title = "Road bike with new tyres",
            description = "Steel frame road bike, recently serviced, new tyres and brake pads. Rides smoothly.",
            categoryId = await api.CategoryId("Bicycles"),
            condition = "good",
            priceMinor = 6_000,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var itemId = (await created.Json()).GetProperty("id").GetGuid();
        var photos = new List<JsonElement>();
        foreach (var image in images)
        {
            using var form = new MultipartFormDataContent();
            var file = new ByteArrayContent(image);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            form.Add(file, "file", "bike.jpg");
            var uploaded = await owner.PostAsync($"/api/v1/items/{itemId}/photos", form);
            Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
            photos.Add(await uploaded.Json());
        }
        return (itemId, photos);
    }

    /// <summary>An active safe zone about a mile from the users' area, created by the admin.</summary>
    public async Task<Guid> SafeZone(double lat = 40.76, double lng = -73.99)
    {
        using var admin = api.ClientFor(await api.Admin());
        var created = await admin.PostAsJsonAsync("/api/v1/admin/safe-zones", new
        {
            name = "Midtown North Precinct", address = "306 W 54th St, New York", lat, lng, tier = 1, kind = "police_station",
            open24h = true, daylightOnly = false, active = true,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Json()).GetProperty("id").GetGuid();
    }

    public static HttpRequestMessage Post(string path, object? body = null, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        return request;
    }

    /// <summary>A call that must succeed; returns the trade (or other body) it answered.</summary>
    public static async Task<JsonElement> Ok(HttpClient client, HttpRequestMessage request, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await client.SendAsync(request);
        var body = await response.Json();
        Assert.True(response.StatusCode == expected, $"{request.Method} {request.RequestUri}: {(int)response.StatusCode} {body}");
        return body;
    }

    /// <summary>A call that must fail with <paramref name="status"/> and <paramref name="code"/>.</summary>
    public static async Task<JsonElement> Refused(HttpClient client, HttpRequestMessage request, HttpStatusCode status, string code)
    {
        var response = await client.SendAsync(request);
        var body = await response.Json();
        Assert.True(response.StatusCode == status, $"{request.Method} {request.RequestUri}: {(int)response.StatusCode} {body}");
        Assert.Equal(code, body.GetProperty("code").GetString());
        return body;
    }

    public async Task<JsonElement> Offer(long offerMinor) =>
        await Ok(Buyer, Post("/api/v1/trades", new { itemId = ItemId, offerMinor }), HttpStatusCode.Created);

    public static Task<JsonElement> Act(HttpClient party, Guid tradeId, string action, object? body = null) =>
        Ok(party, Post($"/api/v1/trades/{tradeId}/{action}", body));

    public static async Task<JsonElement> Get(HttpClient client, Guid tradeId) =>
        await Ok(client, new HttpRequestMessage(HttpMethod.Get, $"/api/v1/trades/{tradeId}"));

    /// <summary>Offer, accept, both pick the zone, time agreed an hour ahead: the trade is scheduled with escrow held.</summary>
    public async Task<(Guid TradeId, DateTimeOffset MeetupAt)> Scheduled(long priceMinor)
    {
        var trade = await Offer(priceMinor);
        var id = trade.GetProperty("id").GetGuid();
        await Act(Seller, id, "accept");
        var meetup = await AgreeOnPlaceAndTime(id, trade.GetProperty("createdAt").GetDateTimeOffset());
        return (id, meetup);
    }

    /// <summary>Both pick the same safe zone; the seller proposes a time a day after <paramref name="now"/>; the buyer accepts it.</summary>
    public async Task<DateTimeOffset> AgreeOnPlaceAndTime(Guid tradeId, DateTimeOffset now)
    {
        var zone = await SafeZone();
        await Act(Buyer, tradeId, "location", new { choice = "safe_zone", safeZoneId = zone });
        await Act(Seller, tradeId, "location", new { choice = "accept_partner" });
        var meetup = WholeMinute(now + TimeSpan.FromDays(1));
        await Act(Seller, tradeId, "time", new { proposedAt = meetup });
        await Act(Buyer, tradeId, "time/accept", new { proposedAt = meetup });
        return meetup;
    }

    public static DateTimeOffset WholeMinute(DateTimeOffset at) =>
        new(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, TimeSpan.Zero);

    /// <summary>Moves the dev clock to <paramref name="target"/> (or a second on, if it is already past) and returns the new now.</summary>
    public async Task<DateTimeOffset> AdvanceTo(DateTimeOffset target)
    {
        using var client = api.NewClient();
        var now = await Advance(client, 1);
        var seconds = (long)Math.Ceiling((target - now).TotalSeconds);
        return seconds > 0 ? await Advance(client, seconds) : now;
    }

    public async Task<DateTimeOffset> AdvanceBy(TimeSpan by)
    {
        using var client = api.NewClient();
        return await Advance(client, (long)by.TotalSeconds);
    }

    private static async Task<DateTimeOffset> Advance(HttpClient client, long seconds)
    {
        var response = await client.PostAsJsonAsync("/api/v1/dev/clock/advance", new { seconds });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Json()).GetProperty("now").GetDateTimeOffset();
    }

    public static async Task<(long Available, long Held)> Balance(HttpClient client)
    {
        var body = await (await client.GetAsync("/api/v1/me/credits")).Json();
        return (body.GetProperty("availableMinor").GetInt64(), body.GetProperty("heldMinor").GetInt64());
    }

    /// <summary>The ledger-wide report: the fees account and whether every invariant holds (SPEC.md 2.9).</summary>
    public async Task<JsonElement> Reconciliation()
    {
        using var admin = api.ClientFor(await api.Admin());
        return await (await admin.GetAsync("/api/v1/admin/ledger/reconciliation")).Json();
    }

    public async Task<long> Fees() => (await Reconciliation()).GetProperty("feesMinor").GetInt64();

    public async Task AssertReconciled()
    {
        var report = await Reconciliation();
        Assert.True(report.GetProperty("ok").GetBoolean(), report.ToString());
    }

    /// <summary>An admin grant (ISS → AV), for a buyer who needs more than the signup credits.</summary>
    public static async Task Grant(ApiFixture api, Guid userId, long amountMinor)
    {
        using var admin = api.ClientFor(await api.Admin());
        await Ok(admin, Post("/api/v1/admin/credits/grants", new { userId, amountMinor, reason = "Test funds for several trades" }),
            HttpStatusCode.Created);
    }

    public async Task<string> ItemStatus()
    {
        var response = await Seller.GetAsync($"/api/v1/items/{ItemId}");
        return (await response.Json()).GetProperty("status").GetString()!;
    }

    /// <summary>A fresh active listing of the seller's, which <see cref="Offer"/> then targets (the last one may be traded).</summary>
    public async Task NewItem() => ItemId = await PublishItem(Seller);

    /// <summary>A scheduled trade that both parties hand over at the meetup: completed, its feedback window open.</summary>
    public async Task<Guid> Completed(long priceMinor)
    {
        var (id, meetup) = await Scheduled(priceMinor);
        await AdvanceTo(meetup);
        await Act(Buyer, id, "handoff");
        Assert.Equal("completed", (await Act(Seller, id, "handoff")).GetProperty("status").GetString());
        return id;
    }

    /// <summary>Gives the user behind <paramref name="client"/> a profile photo (SPEC.md 3.7).</summary>
    public static async Task SetPhoto(HttpClient client)
    {
        using var form = new MultipartFormDataContent { { new ByteArrayContent(TestImages.Jpeg()), "file", "me.jpg" } };
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync("/api/v1/me/photo", form)).StatusCode);
    }
}

/// <summary>The money of one trade's world at a point in time, compared whole so a failure shows every number.</summary>
public sealed record Money(long BuyerAvailable, long BuyerHeld, long SellerAvailable, long FeesDelta)
{
    public static async Task<Money> Of(TradeRig rig, long feesBefore)
    {
        var (buyerAvailable, buyerHeld) = await TradeRig.Balance(rig.Buyer);
        var (sellerAvailable, _) = await TradeRig.Balance(rig.Seller);
        return new Money(buyerAvailable, buyerHeld, sellerAvailable, await rig.Fees() - feesBefore);
    }
}
