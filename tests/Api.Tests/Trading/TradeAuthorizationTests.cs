using System.Net;
using System.Text.Json;
using static NeXChange.Api.Tests.Trading.TradeEndpoints;

namespace NeXChange.Api.Tests.Trading;

/// <summary>
/// Who may do what to a trade (SPEC.md 6.1, 8.1, 8.4): nobody signed in gets 401 everywhere; a stranger gets 404 on
/// every trade endpoint, exactly as for a trade that does not exist; a party calling the other role's action gets 403
/// <c>forbidden</c>; an action the state does not allow gets 409 <c>invalid_transition</c> with <c>currentStatus</c>.
/// Moderators read any trade and cancel a scheduled one. Every row, refused or read, leaves the trade's version and
/// both parties' balances as they were. A moderator calling a party's action is no row here yet: SPEC.md 8.1 makes it
/// 403 (the moderator may read the trade, so is no stranger to it), while the TradeGrain answers 404 as to a stranger.
/// </summary>
[Collection(TradeStagesCollection.Name)]
public sealed class TradeAuthorizationTests(TradeStagesFixture api)
{
    /// <summary>
    /// Anonymous and stranger callers on every endpoint, in the stage where a party could make the call. The
    /// moderator cancel is the one 403 for a stranger: that route refuses by role before it reads any trade, so the
    /// answer is the same for every id and reveals nothing.
    /// </summary>
    public static TheoryData<string, Caller, HttpStatusCode, string> Outsiders()
    {
        var rows = new TheoryData<string, Caller, HttpStatusCode, string>();
        foreach (var endpoint in Names)
        {
            rows.Add(endpoint, Caller.Anonymous, HttpStatusCode.Unauthorized, "unauthenticated");
            if (endpoint == MyTrades) continue; // a stranger's own list: see my_trades_lists_a_trade_for_its_two_parties_only
            rows.Add(endpoint, Caller.Stranger, endpoint == AdminCancel ? HttpStatusCode.Forbidden : HttpStatusCode.NotFound,
                endpoint == AdminCancel ? "forbidden" : "not_found");
        }
        return rows;
    }

    [Theory]
    [MemberData(nameof(Outsiders))]
    public async Task an_outsider_is_refused_and_changes_nothing(string endpoint, Caller caller, HttpStatusCode status, string code) =>
        await AssertAnswer(api, LiveStage(endpoint), endpoint, caller, status, code);

    /// <summary>
    /// The parties and the moderator, stage by stage. The moderator's reads of a party's own views (the safe zones
    /// measured from the caller's area, the meetup package, the counterparty's photo) are 404: SPEC.md 3.6 gives
    /// moderators no access to the photo or vehicle description and says unauthorised gated access is 404.
    /// </summary>
    public static TheoryData<TradeStage, string, Caller, HttpStatusCode, string?> PartiesAndModerators() => new()
    {
        // Reads.
        { TradeStage.Offered, GetTrade, Caller.Buyer, HttpStatusCode.OK, null },
        { TradeStage.Offered, GetTrade, Caller.Seller, HttpStatusCode.OK, null },
        { TradeStage.Offered, GetTrade, Caller.Moderator, HttpStatusCode.OK, null },
        { TradeStage.Scheduled, GetTrade, Caller.Moderator, HttpStatusCode.OK, null },
        { TradeStage.Accepted, SafeZones, Caller.Buyer, HttpStatusCode.OK, null },
        { TradeStage.Accepted, SafeZones, Caller.Seller, HttpStatusCode.OK, null },
        { TradeStage.Accepted, SafeZones, Caller.Moderator, HttpStatusCode.NotFound, "not_found" },
        { TradeStage.Offered, SafeZones, Caller.Buyer, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Scheduled, SafeZones, Caller.Seller, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Accepted, Meetup, Caller.Buyer, HttpStatusCode.NotFound, "not_found" },
        { TradeStage.Scheduled, Meetup, Caller.Buyer, HttpStatusCode.OK, null },
        { TradeStage.Scheduled, Meetup, Caller.Seller, HttpStatusCode.OK, null },
        { TradeStage.Scheduled, Meetup, Caller.Moderator, HttpStatusCode.NotFound, "not_found" },
        { TradeStage.Accepted, Photo, Caller.Buyer, HttpStatusCode.NotFound, "not_found" },
        { TradeStage.Scheduled, Photo, Caller.Buyer, HttpStatusCode.OK, null },
        { TradeStage.Scheduled, Photo, Caller.Seller, HttpStatusCode.OK, null },
        { TradeStage.Scheduled, Photo, Caller.Moderator, HttpStatusCode.NotFound, "not_found" },

        // The other role's action.
        { TradeStage.Offered, Counter, Caller.Buyer, HttpStatusCode.Forbidden, "forbidden" },
        { TradeStage.Offered, Accept, Caller.Buyer, HttpStatusCode.Forbidden, "forbidden" },
        { TradeStage.Offered, Decline, Caller.Buyer, HttpStatusCode.Forbidden, "forbidden" },
        { TradeStage.Offered, Withdraw, Caller.Seller, HttpStatusCode.Forbidden, "forbidden" },
        { TradeStage.Countered, Accept, Caller.Seller, HttpStatusCode.Forbidden, "forbidden" },
        { TradeStage.Countered, Decline, Caller.Seller, HttpStatusCode.Forbidden, "forbidden" },
        { TradeStage.Accepted, Hold, Caller.Seller, HttpStatusCode.Forbidden, "forbidden" },
        { TradeStage.Scheduled, RejectItem, Caller.Seller, HttpStatusCode.Forbidden, "forbidden" },
        { TradeStage.Scheduled, AdminCancel, Caller.Buyer, HttpStatusCode.Forbidden, "forbidden" },
        { TradeStage.Scheduled, AdminCancel, Caller.Seller, HttpStatusCode.Forbidden, "forbidden" },

        // An action the state does not allow.
        { TradeStage.Offered, CancelChangedMind, Caller.Buyer, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Offered, CancelChangedMind, Caller.Seller, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Offered, Location, Caller.Seller, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Offered, Time, Caller.Buyer, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Offered, TimeAccept, Caller.Seller, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Offered, Hold, Caller.Buyer, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Offered, Arrived, Caller.Seller, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Offered, Handoff, Caller.Buyer, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Offered, RejectItem, Caller.Buyer, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Offered, CancelMutual, Caller.Buyer, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Offered, AdminCancel, Caller.Moderator, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Countered, Counter, Caller.Seller, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Countered, Counter, Caller.Buyer, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Countered, Withdraw, Caller.Buyer, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Accepted, Accept, Caller.Seller, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Accepted, Decline, Caller.Buyer, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Accepted, Withdraw, Caller.Buyer, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Accepted, Counter, Caller.Seller, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Accepted, Arrived, Caller.Buyer, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Accepted, Handoff, Caller.Seller, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Accepted, RejectItem, Caller.Buyer, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Accepted, CancelMutual, Caller.Buyer, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Accepted, AdminCancel, Caller.Moderator, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Scheduled, Accept, Caller.Seller, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Scheduled, Decline, Caller.Seller, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Scheduled, Withdraw, Caller.Buyer, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Scheduled, Counter, Caller.Seller, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Scheduled, Location, Caller.Buyer, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Scheduled, Time, Caller.Seller, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Scheduled, TimeAccept, Caller.Buyer, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Scheduled, Hold, Caller.Buyer, HttpStatusCode.Conflict, "invalid_transition" },
        { TradeStage.Scheduled, CancelChangedMind, Caller.Buyer, HttpStatusCode.Conflict, "invalid_transition" },
    };

    [Theory]
    [MemberData(nameof(PartiesAndModerators))]
    public async Task a_party_or_moderator_gets_the_answer_of_its_role_and_the_state(
        TradeStage stage, string endpoint, Caller caller, HttpStatusCode status, string? code) =>
        await AssertAnswer(api, stage, endpoint, caller, status, code);

    [Fact]
    public async Task each_party_reads_the_trade_in_its_own_role_with_the_other_as_counterparty()
    {
        var trade = await api.At(TradeStage.Countered);
        foreach (var (client, role, other) in new[]
        {
            (trade.Rig.Buyer, "buyer", trade.Rig.SellerUser.Id),
            (trade.Rig.Seller, "seller", trade.Rig.BuyerUser.Id),
        })
        {
            var view = await TradeRig.Get(client, trade.Id);
            Assert.Equal(role, view.GetProperty("myRole").GetString());
            Assert.Equal(other, view.GetProperty("counterparty").GetProperty("id").GetGuid());
            Assert.False(HasValue(view, "buyer"));
            Assert.False(HasValue(view, "seller"));
        }
    }

    [Fact]
    public async Task a_moderator_reads_any_trade_with_no_role_and_both_profiles()
    {
        var trade = await api.At(TradeStage.Scheduled);
        using var moderator = api.ClientFor(await api.Moderator());
        var view = await TradeRig.Get(moderator, trade.Id);
        Assert.False(HasValue(view, "myRole"));
        Assert.False(HasValue(view, "counterparty"));
        Assert.Equal(trade.Rig.BuyerUser.Id, view.GetProperty("buyer").GetProperty("id").GetGuid());
        Assert.Equal(trade.Rig.SellerUser.Id, view.GetProperty("seller").GetProperty("id").GetGuid());
        Assert.Equal("scheduled", view.GetProperty("status").GetString());
    }

    [Fact]
    public async Task my_trades_lists_a_trade_for_its_two_parties_only()
    {
        var trade = await api.At(TradeStage.Offered);
        using var stranger = api.ClientFor(await api.Stranger());
        using var moderator = api.ClientFor(await api.Moderator());
        Assert.Equal("buyer", MyRoleIn(await ListMine(trade.Rig.Buyer), trade.Id));
        Assert.Equal("seller", MyRoleIn(await ListMine(trade.Rig.Seller), trade.Id));
        Assert.Null(MyRoleIn(await ListMine(stranger), trade.Id));
        Assert.Null(MyRoleIn(await ListMine(moderator), trade.Id));
    }

    [Fact]
    public async Task a_moderator_cancels_a_scheduled_trade_and_the_buyer_gets_price_and_fee_back()
    {
        var rig = await TradeRig.Create(api);
        var (id, _) = await rig.Scheduled(TradeStagesFixture.OfferMinor);
        const long fee = 387; // SPEC.md 2.5: min(199 + round(5000 × 375 / 10 000), 5 000)
        Assert.Equal((TradeRig.StartingCredits - TradeStagesFixture.OfferMinor - fee, TradeStagesFixture.OfferMinor), await TradeRig.Balance(rig.Buyer));
        using var moderator = api.ClientFor(await api.Moderator());
        var cancelled = await TradeRig.Ok(moderator, TradeRig.Post($"/api/v1/admin/trades/{id}/cancel",
            new { note = "Both parties reported a safety concern.", atFault = "none" }));
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal("moderator_cancel", cancelled.GetProperty("endReason").GetString());
        Assert.Equal((TradeRig.StartingCredits, 0), await TradeRig.Balance(rig.Buyer));
        Assert.Equal((TradeRig.StartingCredits, 0), await TradeRig.Balance(rig.Seller));
        Assert.Equal("active", await rig.ItemStatus());
        await rig.AssertReconciled();
    }

    private static async Task<JsonElement> ListMine(HttpClient client) =>
        await TradeRig.Ok(client, new HttpRequestMessage(HttpMethod.Get, "/api/v1/me/trades?limit=100"));

    private static string? MyRoleIn(JsonElement page, Guid tradeId) =>
        page.GetProperty("items").EnumerateArray().Where(t => t.GetProperty("id").GetGuid() == tradeId)
            .Select(t => t.GetProperty("myRole").GetString()).FirstOrDefault();

    private static bool HasValue(JsonElement view, string member) =>
        view.TryGetProperty(member, out var value) && value.ValueKind != JsonValueKind.Null;
}
