using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace NeXChange.Api.Tests.Trading;

/// <summary>
/// Hostile input on the trade endpoints (SPEC.md 8.1, 9.1, 9.2, 2.7, 6.4, 6.5): each request is refused with its stable
/// code, the field it names when it names one, and leaves the trade's version and both balances as they were.
/// Request bodies are written as raw JSON so that what a client library would never send (duplicate members,
/// numbers in exponent form, control characters) reaches the server as written.
/// </summary>
[Collection(TradeStagesCollection.Name)]
public sealed class TradeHostileInputTests(TradeStagesFixture api)
{
    private const string Note = "Ended by a moderator after a report.";

    public static TheoryData<string> MalformedIds() => new()
    {
        "not-a-trade", "42", "' OR '1'='1", "1; DROP TABLE trades", new string('a', 300), "😀", Guid.NewGuid().ToString(),
    };

    /// <summary>A malformed or unknown id in a path or query is an unknown trade (SPEC.md 8.1), whoever asks.</summary>
    [Theory]
    [MemberData(nameof(MalformedIds))]
    public async Task a_malformed_or_unknown_trade_id_is_not_found(string id)
    {
        var trade = await api.At(TradeStage.Offered);
        var bad = Uri.EscapeDataString(id);
        using var moderator = api.ClientFor(await api.Moderator());
        var calls = new (HttpClient Client, Func<HttpRequestMessage> Request)[]
        {
            (trade.Rig.Buyer, () => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/trades/{bad}")),
            (trade.Rig.Seller, () => TradeRig.Post($"/api/v1/trades/{bad}/accept")),
            (trade.Rig.Buyer, () => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/trades/{bad}/meetup")),
            (trade.Rig.Buyer, () => TradeRig.Post($"/api/v1/trades/{bad}/cancel", new { reason = "changed_mind" })),
            (trade.Rig.Buyer, () => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/users/{trade.Rig.SellerUser.Id}/photo?tradeId={bad}")),
            (trade.Rig.Buyer, () => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/users/{bad}/photo?tradeId={trade.Id}")),
            (moderator, () => TradeRig.Post($"/api/v1/admin/trades/{bad}/cancel", new { note = Note })),
        };
        var before = await TradeSnapshot.Of(trade);
        foreach (var (client, request) in calls) await TradeRig.Refused(client, request(), HttpStatusCode.NotFound, "not_found");
        Assert.Equal(before, await TradeSnapshot.Of(trade));
    }

    /// <summary>
    /// Offers the JSON number rules of SPEC.md 2.1 refuse (beyond 2^53 − 1, exponent form, fractions, strings, negative,
    /// below the minimum of 6.2 T1), an unknown member, a duplicate member and a missing Idempotency-Key (2.7): no trade
    /// is made and nothing moves. <c>{item}</c> stands for the listed item's id.
    /// </summary>
    public static TheoryData<string, bool, string, string?> HostileOffers() => new()
    {
        { """{"itemId":"{item}","offerMinor":9007199254740992}""", true, "validation_failed", "offerMinor" },
        { """{"itemId":"{item}","offerMinor":1e3}""", true, "validation_failed", "offerMinor" },
        { """{"itemId":"{item}","offerMinor":2.5}""", true, "validation_failed", "offerMinor" },
        { """{"itemId":"{item}","offerMinor":"100"}""", true, "validation_failed", "offerMinor" },
        { """{"itemId":"{item}","offerMinor":-100}""", true, "validation_failed", "offerMinor" },
        { """{"itemId":"{item}","offerMinor":99}""", true, "validation_failed", "offerMinor" },
        { """{"itemId":"{item}","offerMinor":null}""", true, "validation_failed", "offerMinor" },
        { """{"itemId":"{item}' OR '1'='1","offerMinor":5000}""", true, "validation_failed", "itemId" },
        { """{"itemId":"{item}","offerMinor":5000,"message":"Call me on 555 0100"}""", true, "validation_failed", "message" },
        { """{"itemId":"{item}","offerMinor":5000,"OfferMinor":100}""", true, "validation_failed", "OfferMinor" },
        { """{"itemId":"{item}","offerMinor":5000}""", false, "idempotency_key_missing", null },
    };

    [Theory]
    [MemberData(nameof(HostileOffers))]
    public async Task a_hostile_offer_is_refused_and_no_trade_exists(string body, bool withKey, string code, string? field)
    {
        var item = (await api.At(TradeStage.Offered)).Rig;
        var bidder = await api.RegisterVerified();
        using var client = api.ClientFor(bidder);
        var problem = await TradeRig.Refused(client, Raw("/api/v1/trades", body.Replace("{item}", item.ItemId.ToString()), withKey),
            HttpStatusCode.BadRequest, code);
        AssertField(problem, field);
        var mine = await TradeRig.Ok(client, new HttpRequestMessage(HttpMethod.Get, "/api/v1/me/trades"));
        Assert.Empty(mine.GetProperty("items").EnumerateArray());
        Assert.Equal((TradeRig.StartingCredits, 0), await TradeRig.Balance(client));
        Assert.Equal("active", await item.ItemStatus());
    }

    /// <summary>
    /// Bodies refused on a trade that exists: amounts, strings outside their closed sets (SQL fragments, other letter
    /// case, full-width and control characters, bidi overrides), over-long details, unknown and duplicate members, and
    /// missing Idempotency-Keys. The action path is relative to the trade; <c>admin</c> means the moderator cancel.
    /// </summary>
    public static TheoryData<TradeStage, Caller, string, string, bool, string, string?> HostileBodies() => new()
    {
        { TradeStage.Offered, Caller.Seller, "counter", """{"counterMinor":9007199254740992}""", true, "validation_failed", "counterMinor" },
        { TradeStage.Offered, Caller.Seller, "counter", """{"counterMinor":1e3}""", true, "validation_failed", "counterMinor" },
        { TradeStage.Offered, Caller.Seller, "counter", """{"counterMinor":55.5}""", true, "validation_failed", "counterMinor" },
        { TradeStage.Offered, Caller.Seller, "counter", """{"counterMinor":"5500"}""", true, "validation_failed", "counterMinor" },
        { TradeStage.Offered, Caller.Seller, "counter", """{"counterMinor":-5500}""", true, "validation_failed", "counterMinor" },
        { TradeStage.Offered, Caller.Seller, "counter", """{"counterMinor":5000}""", true, "validation_failed", "counterMinor" },
        { TradeStage.Offered, Caller.Seller, "counter", """{"counterMinor":5500,"message":"Meet me at my place"}""", true, "validation_failed", "message" },
        { TradeStage.Offered, Caller.Seller, "counter", """{"counterMinor":5500,"counterMinor":6000}""", true, "validation_failed", "counterMinor" },
        { TradeStage.Offered, Caller.Seller, "counter", """{"counterMinor":5500,"CounterMinor":6000}""", true, "validation_failed", "CounterMinor" },

        { TradeStage.Accepted, Caller.Buyer, "cancel", """{"reason":"changed_mind'; DROP TABLE trades; --"}""", true, "validation_failed", "reason" },
        { TradeStage.Accepted, Caller.Buyer, "cancel", """{"reason":"CHANGED_MIND"}""", true, "validation_failed", "reason" },
        { TradeStage.Accepted, Caller.Buyer, "cancel", """{"reason":"ｃｈａｎｇｅｄ＿ｍｉｎｄ"}""", true, "validation_failed", "reason" },
        { TradeStage.Accepted, Caller.Buyer, "cancel", """{"reason":"changed_mind\u0000"}""", true, "validation_failed", "reason" },
        { TradeStage.Accepted, Caller.Buyer, "cancel", """{"reason":"\u202Echanged_mind"}""", true, "validation_failed", "reason" },
        { TradeStage.Accepted, Caller.Buyer, "cancel", """{"reason":" "}""", true, "validation_failed", "reason" },
        { TradeStage.Accepted, Caller.Buyer, "cancel", """{"reason":"changed_mind","message":"Sorry, found a cheaper one"}""", true, "validation_failed", "message" },
        { TradeStage.Accepted, Caller.Buyer, "cancel", """{"reason":"changed_mind","Reason":"mutual"}""", true, "validation_failed", "Reason" },
        { TradeStage.Accepted, Caller.Buyer, "cancel", """{"reason":"changed_mind"}""", false, "idempotency_key_missing", null },

        { TradeStage.Accepted, Caller.Buyer, "location", """{"choice":"safe_zone' OR '1'='1"}""", true, "validation_failed", "choice" },
        { TradeStage.Accepted, Caller.Buyer, "location", """{"choice":"SAFE_ZONE"}""", true, "validation_failed", "choice" },
        { TradeStage.Accepted, Caller.Buyer, "location", """{"choice":"custom\u0000"}""", true, "validation_failed", "choice" },
        { TradeStage.Accepted, Caller.Buyer, "location", """{"choice":"accept_partner; DROP TABLE safe_zones"}""", true, "validation_failed", "choice" },
        { TradeStage.Accepted, Caller.Buyer, "location", """{"choice":"accept_partner","note":"By the blue door"}""", true, "validation_failed", "note" },
        { TradeStage.Accepted, Caller.Buyer, "location", """{"choice":"accept_partner","choice":"custom"}""", true, "validation_failed", "choice" },
        { TradeStage.Accepted, Caller.Buyer, "location", """{"choice":"accept_partner"}""", false, "idempotency_key_missing", null },

        { TradeStage.Accepted, Caller.Buyer, "time", """{"proposedAt":null}""", true, "validation_failed", "proposedAt" },
        { TradeStage.Accepted, Caller.Buyer, "time", """{"proposedAt":1767225600}""", true, "validation_failed", "proposedAt" },
        { TradeStage.Accepted, Caller.Buyer, "time/accept", """{"proposedAt":"2030-01-01T10:00:00.000Z"}""", false, "idempotency_key_missing", null },
        { TradeStage.Accepted, Caller.Buyer, "hold", "", false, "idempotency_key_missing", null },

        { TradeStage.Scheduled, Caller.Buyer, "reject-item", """{"reason":"not_as_described' OR '1'='1"}""", true, "validation_failed", "reason" },
        { TradeStage.Scheduled, Caller.Buyer, "reject-item", """{"reason":"NOT_AS_DESCRIBED"}""", true, "validation_failed", "reason" },
        { TradeStage.Scheduled, Caller.Buyer, "reject-item", $$"""{"reason":"not_as_described","details":"{{new string('x', 501)}}"}""", true, "validation_failed", "details" },
        { TradeStage.Scheduled, Caller.Buyer, "reject-item", $$"""{"reason":"not_as_described","details":"{{string.Concat(Enumerable.Repeat("😀", 501))}}"}""", true, "validation_failed", "details" },
        { TradeStage.Scheduled, Caller.Buyer, "reject-item", """{"reason":"not_as_described","photos":[]}""", true, "validation_failed", "photos" },
        { TradeStage.Scheduled, Caller.Buyer, "reject-item", """{"reason":"not_as_described"}""", false, "idempotency_key_missing", null },
        { TradeStage.Scheduled, Caller.Buyer, "handoff", "", false, "idempotency_key_missing", null },

        { TradeStage.Scheduled, Caller.Moderator, "admin", """{"note":"Too short"}""", true, "validation_failed", "note" },
        { TradeStage.Scheduled, Caller.Moderator, "admin", $$"""{"note":"{{Note}}","atFault":"buyer' --"}""", true, "validation_failed", "atFault" },
        { TradeStage.Scheduled, Caller.Moderator, "admin", $$"""{"note":"{{Note}}","atFault":"BUYER"}""", true, "validation_failed", "atFault" },
        { TradeStage.Scheduled, Caller.Moderator, "admin", $$"""{"note":"{{Note}}","message":"Hello both"}""", true, "validation_failed", "message" },
        { TradeStage.Scheduled, Caller.Moderator, "admin", $$"""{"note":"{{Note}}"}""", false, "idempotency_key_missing", null },
    };

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public async Task a_hostile_body_is_refused_and_changes_nothing(
        TradeStage stage, Caller caller, string action, string body, bool withKey, string code, string? field)
    {
        var trade = await api.At(stage);
        using var client = await api.ClientFor(caller, trade);
        var path = action == "admin" ? $"/api/v1/admin/trades/{trade.Id}/cancel" : $"/api/v1/trades/{trade.Id}/{action}";
        await AssertRefused(trade, client, Raw(path, body, withKey), code, field);
    }

    /// <summary>A custom place outside the globe, or not a number (SPEC.md 6.4); the buyer acknowledges and confirms all.</summary>
    public static TheoryData<string, string, string> OutOfRangePlaces() => new()
    {
        { "90.000001", "-73.99", "lat" },
        { "-91", "-73.99", "lat" },
        { "40.75", "180.5", "lng" },
        { "40.75", "-181", "lng" },
        { "1e999", "-73.99", "lat" },
        { "\"40.75\"", "-73.99", "lat" },
        { "null", "-73.99", "lat" },
    };

    [Theory]
    [MemberData(nameof(OutOfRangePlaces))]
    public async Task a_custom_place_off_the_map_is_refused(string lat, string lng, string field)
    {
        var trade = await api.At(TradeStage.Accepted);
        var body = $$"""{"choice":"custom","lat":{{lat}},"lng":{{lng}},"acknowledgeSafetyWarning":true,"confirmDistance":true}""";
        await AssertRefused(trade, trade.Rig.Buyer, Raw($"/api/v1/trades/{trade.Id}/location", body, withKey: true), "validation_failed", field);
    }

    /// <summary>
    /// Meetup times SPEC.md 6.5 refuses, as minutes and seconds from the current whole minute: not a whole minute,
    /// in the past, under 15 minutes ahead, more than 7 days ahead.
    /// </summary>
    public static TheoryData<int, double> RefusedMeetupTimes() => new()
    {
        { 24 * 60, 30 }, // a day ahead, but thirty seconds past the minute
        { 24 * 60, 0.5 }, // half a second past the minute
        { -60, 0 }, // an hour ago
        { 10, 0 }, // under the 15 minutes' notice
        { 7 * 24 * 60 + 2, 0 }, // beyond 7 days
    };

    [Theory]
    [MemberData(nameof(RefusedMeetupTimes))]
    public async Task a_meetup_time_outside_the_rules_is_refused(int minutes, double seconds)
    {
        var trade = await api.At(TradeStage.Accepted);
        var now = await trade.Rig.AdvanceBy(TimeSpan.FromSeconds(1));
        var proposedAt = TradeRig.WholeMinute(now).AddMinutes(minutes).AddSeconds(seconds);
        var body = JsonSerializer.Serialize(new { proposedAt = proposedAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) });
        await AssertRefused(trade, trade.Rig.Seller, Raw($"/api/v1/trades/{trade.Id}/time", body, withKey: true), "validation_failed", "proposedAt");
    }

    private static async Task AssertRefused(StagedTrade trade, HttpClient client, HttpRequestMessage request, string code, string? field)
    {
        var before = await TradeSnapshot.Of(trade);
        var problem = await TradeRig.Refused(client, request, HttpStatusCode.BadRequest, code);
        AssertField(problem, field);
        Assert.Equal(before, await TradeSnapshot.Of(trade));
    }

    private static void AssertField(JsonElement problem, string? field)
    {
        if (field is null) return;
        Assert.Contains(field, problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()));
    }

    private static HttpRequestMessage Raw(string path, string body, bool withKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = body.Length == 0 ? null : new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (withKey) request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        return request;
    }
}
