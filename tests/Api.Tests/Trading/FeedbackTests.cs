using System.Net;
using System.Text;
using System.Text.Json;
using NeXChange.TestSupport;
using Npgsql;

namespace NeXChange.Api.Tests.Trading;

/// <summary>
/// Feedback and reputation (SPEC.md 6.9) between the two parties of real trades over HTTP; the dev clock closes the
/// 7-day window.
/// </summary>
public sealed class FeedbackTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    // Two trades of this price (plus fees) fit in the signup grant.
    private const long Price = 2_000;
    private const string InsufficientPrivilege = "42501";

    [Fact]
    public async Task feedback_is_blind_until_both_parties_posted_then_both_are_listed_and_both_parties_notified()
    {
        var rig = await TradeRig.Create(api);
        var id = await rig.Completed(Price);

        var response = await rig.Buyer.SendAsync(Rate(id, new { rating = 5, comment = "Smooth handoff, bike exactly as described." }));
        var posted = await response.Json();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(5, posted.GetProperty("rating").GetInt32());
        Assert.Equal("buyer", posted.GetProperty("role").GetString());
        Assert.Equal(rig.BuyerUser.Id, posted.GetProperty("from").GetProperty("id").GetGuid());
        var atLocation = await TradeRig.Ok(rig.Buyer, new HttpRequestMessage(HttpMethod.Get, response.Headers.Location));
        Assert.Equal(posted.GetProperty("id").GetGuid(), atLocation.GetProperty("mine").GetProperty("id").GetGuid());
        Assert.Equal(JsonValueKind.Null, atLocation.GetProperty("theirs").ValueKind);

        var sellerBefore = await OfTrade(rig.Seller, id);
        Assert.Equal(JsonValueKind.Null, sellerBefore.GetProperty("mine").ValueKind);
        Assert.Equal(JsonValueKind.Null, sellerBefore.GetProperty("theirs").ValueKind);
        Assert.Empty(await Received(rig.SellerUser.Id));
        Assert.Empty(await Notices(rig.Buyer, id));

        await Post(rig.Seller, id, 4);

        Assert.Equal(4, (await OfTrade(rig.Buyer, id)).GetProperty("theirs").GetProperty("rating").GetInt32());
        var buyerRating = (await OfTrade(rig.Seller, id)).GetProperty("theirs");
        Assert.Equal(5, buyerRating.GetProperty("rating").GetInt32());
        Assert.Equal("Smooth handoff, bike exactly as described.", buyerRating.GetProperty("comment").GetString());
        var toSeller = Assert.Single(await Received(rig.SellerUser.Id));
        Assert.Equal((5, "buyer"), (toSeller.GetProperty("rating").GetInt32(), toSeller.GetProperty("role").GetString()));
        Assert.Equal(rig.BuyerUser.Id, toSeller.GetProperty("from").GetProperty("id").GetGuid());
        var toBuyer = Assert.Single(await Received(rig.BuyerUser.Id));
        Assert.Equal((4, "seller"), (toBuyer.GetProperty("rating").GetInt32(), toBuyer.GetProperty("role").GetString()));
        Assert.Equal(JsonValueKind.Null, toBuyer.GetProperty("comment").ValueKind);
        Assert.Single(await Notices(rig.Buyer, id));
        Assert.Single(await Notices(rig.Seller, id));
    }

    [Fact]
    public async Task after_seven_days_a_lone_rating_becomes_visible_and_further_feedback_is_refused_with_outside_time_window()
    {
        var rig = await TradeRig.Create(api);
        var id = await rig.Completed(Price);
        await Post(rig.Seller, id, 2, "Arrived twenty minutes late to the meetup.");
        Assert.Empty(await Received(rig.BuyerUser.Id));

        var endedAt = (await TradeRig.Get(rig.Buyer, id)).GetProperty("endedAt").GetDateTimeOffset();
        await rig.AdvanceTo(endedAt + TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));

        Assert.Equal(2, Assert.Single(await Received(rig.BuyerUser.Id)).GetProperty("rating").GetInt32());
        Assert.Equal(2, (await OfTrade(rig.Buyer, id)).GetProperty("theirs").GetProperty("rating").GetInt32());
        await TradeRig.Refused(rig.Buyer, Rate(id, new { rating = 5 }), HttpStatusCode.Conflict, "outside_time_window");
        Assert.Equal(JsonValueKind.Null, (await OfTrade(rig.Buyer, id)).GetProperty("mine").ValueKind);
        Assert.Empty(await Received(rig.SellerUser.Id));
    }

    [Fact]
    public async Task a_second_feedback_on_the_same_trade_is_refused_with_already_submitted_and_the_first_stays()
    {
        var rig = await TradeRig.Create(api);
        var id = await rig.Completed(Price);
        await Post(rig.Buyer, id, 5);

        await TradeRig.Refused(rig.Buyer, Rate(id, new { rating = 1, comment = "Changed my mind about this." }),
            HttpStatusCode.Conflict, "already_submitted");

        var mine = (await OfTrade(rig.Buyer, id)).GetProperty("mine");
        Assert.Equal(5, mine.GetProperty("rating").GetInt32());
        Assert.Equal(JsonValueKind.Null, mine.GetProperty("comment").ValueKind);
    }

    [Fact]
    public async Task a_stranger_gets_404_and_a_party_of_a_trade_before_escrow_gets_409_invalid_transition()
    {
        var rig = await TradeRig.Create(api);
        var id = (await rig.Offer(Price)).GetProperty("id").GetGuid();
        using var stranger = api.ClientFor(await api.RegisterVerified());

        await TradeRig.Refused(stranger, Rate(id, new { rating = 5 }), HttpStatusCode.NotFound, "not_found");
        await TradeRig.Refused(stranger, new HttpRequestMessage(HttpMethod.Get, $"/api/v1/trades/{id}/feedback"), HttpStatusCode.NotFound, "not_found");
        await TradeRig.Refused(rig.Buyer, Rate(Guid.CreateVersion7(), new { rating = 5 }), HttpStatusCode.NotFound, "not_found");
        var refused = await TradeRig.Refused(rig.Buyer, Rate(id, new { rating = 5 }), HttpStatusCode.Conflict, "invalid_transition");
        Assert.Equal("offered", refused.GetProperty("currentStatus").GetString());
        Assert.Equal(JsonValueKind.Null, (await OfTrade(rig.Buyer, id)).GetProperty("mine").ValueKind);
    }

    [Fact]
    public async Task malformed_feedback_is_refused_with_validation_failed_and_changes_nothing()
    {
        var rig = await TradeRig.Create(api);
        var id = await rig.Completed(Price);
        string[] bodies =
        [
            """{"rating":0}""", """{"rating":6}""", """{"rating":2.5}""", """{"rating":"5"}""", """{"comment":"No rating given here."}""",
            $$"""{"rating":4,"comment":"{{new string('x', 9)}}"}""", $$"""{"rating":4,"comment":"{{new string('x', 501)}}"}""",
            """{"rating":4,"stars":4}""",
        ];

        foreach (var body in bodies)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/trades/{id}/feedback")
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            var response = await rig.Buyer.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{body}: {(int)response.StatusCode}");
            Assert.Equal("validation_failed", (await response.Json()).GetProperty("code").GetString());
        }
        Assert.Equal(JsonValueKind.Null, (await OfTrade(rig.Buyer, id)).GetProperty("mine").ValueKind);
    }

    [Fact]
    public async Task reputation_counts_completed_trades_and_only_visible_ratings()
    {
        var rig = await TradeRig.Create(api);
        var first = await rig.Completed(Price);
        await Post(rig.Buyer, first, 5);
        await Post(rig.Seller, first, 4);
        await rig.NewItem();
        var second = await rig.Completed(Price);
        await Post(rig.Buyer, second, 4);

        var blind = await Profile(rig.SellerUser.Id);
        Assert.Equal((5.00m, 1), (blind.GetProperty("ratingAverage").GetDecimal(), blind.GetProperty("ratingCount").GetInt32()));

        await Post(rig.Seller, second, 5);

        var seller = await Profile(rig.SellerUser.Id);
        Assert.Equal(4.50m, seller.GetProperty("ratingAverage").GetDecimal());
        Assert.Equal(2, seller.GetProperty("ratingCount").GetInt32());
        Assert.Equal(2, seller.GetProperty("completedTrades").GetInt32());
        Assert.Equal(100.0m, seller.GetProperty("completionRate").GetDecimal());
        // Both handed over at the meetup, before their arrival windows closed: no window was counted.
        Assert.Equal(JsonValueKind.Null, seller.GetProperty("onTimeArrivalRate").ValueKind);
        var me = await (await rig.Buyer.GetAsync("/api/v1/me")).Json();
        Assert.Equal((4.50m, 2, 100.0m), (me.GetProperty("ratingAverage").GetDecimal(), me.GetProperty("completedTrades").GetInt32(),
            me.GetProperty("completionRate").GetDecimal()));
        Assert.Equal(0, me.GetProperty("noShowCount").GetInt32());
    }

    [Fact]
    public async Task failures_count_against_the_party_spec_names_and_closed_arrival_windows_give_the_on_time_rate()
    {
        var rig = await TradeRig.Create(api);
        using var admin = api.ClientFor(await api.Admin());

        var (rejected, rejectedMeetup) = await rig.Scheduled(Price);
        await rig.AdvanceTo(rejectedMeetup);
        await TradeRig.Act(rig.Buyer, rejected, "reject-item", new { reason = "not_as_described" });

        var (mutual, _) = await rig.Scheduled(Price);
        await TradeRig.Act(rig.Buyer, mutual, "cancel", new { reason = "mutual" });
        await TradeRig.Act(rig.Seller, mutual, "cancel", new { reason = "mutual" });

        var (moderated, _) = await rig.Scheduled(Price);
        await TradeRig.Ok(admin, TradeRig.Post($"/api/v1/admin/trades/{moderated}/cancel",
            new { note = "The buyer asked support to stop the trade.", atFault = "buyer" }));

        var (missed, missedMeetup) = await rig.Scheduled(Price);
        await rig.AdvanceTo(missedMeetup);
        await TradeRig.Act(rig.Seller, missed, "arrived");
        await rig.AdvanceTo(missedMeetup + TimeSpan.FromMinutes(31));
        Assert.Equal("no_show", (await TradeRig.Act(rig.Seller, missed, "cancel", new { reason = "no_show" })).GetProperty("endReason").GetString());

        await rig.Completed(Price);

        // Seller: 1 success, 1 failure (not as described); arrived on time at the one window that closed.
        var seller = await Profile(rig.SellerUser.Id);
        Assert.Equal((1, 50.0m, 100.0m), (seller.GetProperty("completedTrades").GetInt32(),
            seller.GetProperty("completionRate").GetDecimal(), seller.GetProperty("onTimeArrivalRate").GetDecimal()));
        // Buyer: 1 success, 2 failures (at fault in the moderator cancel, absent at the no-show); missed that window.
        var buyer = await (await rig.Buyer.GetAsync("/api/v1/me")).Json();
        Assert.Equal((1, 33.3m, 0.0m, 1), (buyer.GetProperty("completedTrades").GetInt32(), buyer.GetProperty("completionRate").GetDecimal(),
            buyer.GetProperty("onTimeArrivalRate").GetDecimal(), buyer.GetProperty("noShowCount").GetInt32()));
        Assert.False((await Profile(rig.BuyerUser.Id)).TryGetProperty("noShowCount", out _));
    }

    [Fact]
    public async Task the_received_list_pages_newest_first_refuses_another_lists_cursor_and_is_404_for_unknown_users()
    {
        var rig = await TradeRig.Create(api);
        var first = await rig.Completed(Price);
        await rig.NewItem();
        var second = await rig.Completed(Price);
        foreach (var (trade, rating) in new[] { (first, 3), (second, 5) })
        {
            await Post(rig.Buyer, trade, rating);
            await Post(rig.Seller, trade, 4);
        }
        using var anyone = api.NewClient();

        var page1 = await TradeRig.Ok(anyone, new HttpRequestMessage(HttpMethod.Get, $"/api/v1/users/{rig.SellerUser.Id}/feedback?limit=1"));
        Assert.Equal(5, Assert.Single(page1.GetProperty("items").EnumerateArray()).GetProperty("rating").GetInt32());
        var cursor = page1.GetProperty("nextBefore").GetString()!;
        var page2 = await TradeRig.Ok(anyone, new HttpRequestMessage(HttpMethod.Get,
            $"/api/v1/users/{rig.SellerUser.Id}/feedback?limit=1&before={cursor}"));
        Assert.Equal(3, Assert.Single(page2.GetProperty("items").EnumerateArray()).GetProperty("rating").GetInt32());
        Assert.Equal(JsonValueKind.Null, page2.GetProperty("nextBefore").ValueKind);

        await TradeRig.Refused(anyone, new HttpRequestMessage(HttpMethod.Get, $"/api/v1/users/{rig.BuyerUser.Id}/feedback?before={cursor}"),
            HttpStatusCode.BadRequest, "invalid_cursor");
        await TradeRig.Refused(anyone, new HttpRequestMessage(HttpMethod.Get, $"/api/v1/users/{Guid.CreateVersion7()}/feedback"),
            HttpStatusCode.NotFound, "not_found");
        await TradeRig.Refused(anyone, new HttpRequestMessage(HttpMethod.Get, "/api/v1/users/not-a-uuid/feedback"),
            HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task the_runtime_role_can_neither_update_nor_delete_feedback()
    {
        var rig = await TradeRig.Create(api);
        var id = await rig.Completed(Price);
        await Post(rig.Buyer, id, 5);

        foreach (var sql in new[] { "update feedback set rating = 1", "delete from feedback", "truncate feedback" })
        {
            var refusal = await Assert.ThrowsAsync<PostgresException>(() => Sql.ExecuteAsync(api.Postgres, sql));
            Assert.Equal(InsufficientPrivilege, refusal.SqlState);
        }
        Assert.Equal(5, (await OfTrade(rig.Buyer, id)).GetProperty("mine").GetProperty("rating").GetInt32());
    }

    private static HttpRequestMessage Rate(Guid tradeId, object body) => TradeRig.Post($"/api/v1/trades/{tradeId}/feedback", body);

    private static Task<JsonElement> Post(HttpClient party, Guid tradeId, int rating, string? comment = null) =>
        TradeRig.Ok(party, Rate(tradeId, new { rating, comment }), HttpStatusCode.Created);

    private static Task<JsonElement> OfTrade(HttpClient party, Guid tradeId) =>
        TradeRig.Ok(party, new HttpRequestMessage(HttpMethod.Get, $"/api/v1/trades/{tradeId}/feedback"));

    private async Task<JsonElement[]> Received(Guid userId)
    {
        using var anyone = api.NewClient();
        var page = await TradeRig.Ok(anyone, new HttpRequestMessage(HttpMethod.Get, $"/api/v1/users/{userId}/feedback"));
        return [.. page.GetProperty("items").EnumerateArray()];
    }

    private async Task<JsonElement> Profile(Guid userId)
    {
        using var anyone = api.NewClient();
        return await TradeRig.Ok(anyone, new HttpRequestMessage(HttpMethod.Get, $"/api/v1/users/{userId}"));
    }

    /// <summary>The party's feedback_visible notifications about the trade.</summary>
    private static async Task<JsonElement[]> Notices(HttpClient party, Guid tradeId)
    {
        var feed = await TradeRig.Ok(party, new HttpRequestMessage(HttpMethod.Get, "/api/v1/me/notifications?limit=100"));
        return [.. feed.GetProperty("items").EnumerateArray().Where(n =>
            n.GetProperty("type").GetString() == "feedback_visible" && n.GetProperty("tradeId").GetGuid() == tradeId)];
    }
}
