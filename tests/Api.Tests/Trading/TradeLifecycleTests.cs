using System.Net;

namespace NeXChange.Api.Tests.Trading;

/// <summary>
/// Each path of SPEC.md 6.2 walked over HTTP by two real users, with every balance checked after every money step
/// against SPEC 2.4's movements: buyer available and escrow, seller, and the platform fees account. Time moves only
/// through the dev clock.
/// </summary>
public sealed class TradeLifecycleTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    internal const long Price = 5_000;
    internal const long Fee = 387; // SPEC.md 2.5: min(199 + round(5000 × 375 / 10 000), 5 000)
    internal const long Start = TradeRig.StartingCredits;

    /// <summary>Escrow held: AV(b) −(P+F); ES(b) +P; FEES +F.</summary>
    internal static readonly Money Held = new(Start - Price - Fee, Price, Start, Fee);
    /// <summary>escrow_release: ES(b) −P; AV(s) +P; the fee stays.</summary>
    internal static readonly Money Released = new(Start - Price - Fee, 0, Start + Price, Fee);
    /// <summary>escrow_refund: ES(b) −P; FEES −F; AV(b) +(P+F): everyone is where they started.</summary>
    internal static readonly Money Refunded = new(Start, 0, Start, 0);

    [Fact]
    public async Task a_countered_offer_accepted_scheduled_and_handed_over_releases_the_price_to_the_seller_and_keeps_the_fee()
    {
        var rig = await TradeRig.Create(api);
        var fees = await rig.Fees();

        var offered = await rig.Offer(4_000);
        var id = offered.GetProperty("id").GetGuid();
        Assert.Equal("offered", offered.GetProperty("status").GetString());
        Assert.Equal("buyer", offered.GetProperty("myRole").GetString());
        var countered = await TradeRig.Act(rig.Seller, id, "counter", new { counterMinor = Price });
        Assert.Equal("countered", countered.GetProperty("status").GetString());
        var accepted = await TradeRig.Act(rig.Buyer, id, "accept");
        Assert.Equal("accepted", accepted.GetProperty("status").GetString());
        Assert.Equal(Price, accepted.GetProperty("agreedPriceMinor").GetInt64());
        Assert.Equal(Fee, accepted.GetProperty("feeMinor").GetInt64());
        Assert.Equal(Refunded, await Money.Of(rig, fees));

        var meetup = await rig.AgreeOnPlaceAndTime(id, offered.GetProperty("createdAt").GetDateTimeOffset());
        var scheduled = await TradeRig.Get(rig.Buyer, id);
        Assert.Equal("scheduled", scheduled.GetProperty("status").GetString());
        Assert.Equal(Held, await Money.Of(rig, fees));
        Assert.Equal("reserved", await rig.ItemStatus());

        await rig.AdvanceTo(meetup);
        var first = await TradeRig.Act(rig.Buyer, id, "handoff");
        Assert.Equal("scheduled", first.GetProperty("status").GetString());
        Assert.Equal(Held, await Money.Of(rig, fees));
        var done = await TradeRig.Act(rig.Seller, id, "handoff");
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal("completed_by_parties", done.GetProperty("endReason").GetString());

        Assert.Equal(Released, await Money.Of(rig, fees));
        Assert.Equal("traded", await rig.ItemStatus());
        // SPEC.md 3.13: both picks and the reveal at hold are in the audit log.
        foreach (var (action, count) in new[] { ("LOCATION_PICKED", 2L), ("IDENTITY_REVEALED", 1L) })
            Assert.Equal(count, await NeXChange.TestSupport.Sql.ScalarAsync<long>(api.Postgres,
                "select count(*) from audit_log where action = $1 and entity_type = 'trade' and entity_id = $2", action, id.ToString()));
        await rig.AssertReconciled();
    }

    [Fact]
    public async Task an_offer_expires_after_48_hours_and_nothing_moves()
    {
        var rig = await TradeRig.Create(api);
        var fees = await rig.Fees();
        var offered = await rig.Offer(Price);
        var id = offered.GetProperty("id").GetGuid();
        await rig.AdvanceTo(offered.GetProperty("expiresAt").GetDateTimeOffset());
        var expired = await TradeRig.Get(rig.Seller, id);
        Assert.Equal("expired", expired.GetProperty("status").GetString());
        Assert.Equal("offer_expired", expired.GetProperty("endReason").GetString());
        await TradeRig.Refused(rig.Seller, TradeRig.Post($"/api/v1/trades/{id}/accept"), HttpStatusCode.Conflict, "invalid_transition");
        Assert.Equal(Refunded, await Money.Of(rig, fees));
        Assert.Equal("active", await rig.ItemStatus());
    }

    [Fact]
    public async Task declines_withdrawals_and_a_changed_mind_end_trades_before_escrow_without_moving_money()
    {
        var rig = await TradeRig.Create(api);
        var fees = await rig.Fees();

        var declinedBySeller = (await rig.Offer(Price)).GetProperty("id").GetGuid();
        var t5 = await TradeRig.Act(rig.Seller, declinedBySeller, "decline");
        Assert.Equal(("declined", "declined_by_seller"), (t5.GetProperty("status").GetString(), t5.GetProperty("endReason").GetString()));

        var declinedByBuyer = (await rig.Offer(Price)).GetProperty("id").GetGuid();
        await TradeRig.Act(rig.Seller, declinedByBuyer, "counter", new { counterMinor = Price + 500 });
        var t6 = await TradeRig.Act(rig.Buyer, declinedByBuyer, "decline");
        Assert.Equal(("declined", "declined_by_buyer"), (t6.GetProperty("status").GetString(), t6.GetProperty("endReason").GetString()));

        var withdrawn = (await rig.Offer(Price)).GetProperty("id").GetGuid();
        var t7 = await TradeRig.Act(rig.Buyer, withdrawn, "withdraw");
        Assert.Equal("withdrawn", t7.GetProperty("status").GetString());

        var changedMind = (await rig.Offer(Price)).GetProperty("id").GetGuid();
        await TradeRig.Act(rig.Seller, changedMind, "accept");
        var t11 = await TradeRig.Act(rig.Seller, changedMind, "cancel", new { reason = "changed_mind" });
        Assert.Equal(("cancelled", "changed_mind"), (t11.GetProperty("status").GetString(), t11.GetProperty("endReason").GetString()));

        Assert.Equal(Refunded, await Money.Of(rig, fees));
        Assert.Equal("active", await rig.ItemStatus());
        await rig.AssertReconciled();
    }

    [Fact]
    public async Task an_accepted_trade_never_scheduled_is_cancelled_after_seven_days()
    {
        var rig = await TradeRig.Create(api);
        var accepted = await TradeRig.Act(rig.Seller, (await rig.Offer(Price)).GetProperty("id").GetGuid(), "accept");
        await rig.AdvanceTo(accepted.GetProperty("acceptedAt").GetDateTimeOffset() + TimeSpan.FromDays(7));
        var ended = await TradeRig.Get(rig.Buyer, accepted.GetProperty("id").GetGuid());
        Assert.Equal(("cancelled", "scheduling_timeout"), (ended.GetProperty("status").GetString(), ended.GetProperty("endReason").GetString()));
    }

    [Fact]
    public async Task a_present_party_cancels_for_a_no_show_after_the_arrival_window_and_the_buyer_is_refunded_in_full()
    {
        var rig = await TradeRig.Create(api);
        var fees = await rig.Fees();
        var (id, meetup) = await rig.Scheduled(Price);
        await rig.AdvanceTo(meetup);
        await TradeRig.Act(rig.Seller, id, "arrived");
        await TradeRig.Refused(rig.Seller, TradeRig.Post($"/api/v1/trades/{id}/cancel", new { reason = "no_show" }),
            HttpStatusCode.Conflict, "outside_time_window");
        await rig.AdvanceTo(meetup + TimeSpan.FromMinutes(31));
        var ended = await TradeRig.Act(rig.Seller, id, "cancel", new { reason = "no_show" });
        Assert.Equal(("cancelled", "no_show", "buyer"),
            (ended.GetProperty("status").GetString(), ended.GetProperty("endReason").GetString(), ended.GetProperty("noShowParty").GetString()));
        Assert.Equal(Refunded, await Money.Of(rig, fees));
        Assert.Equal("active", await rig.ItemStatus());
        await rig.AssertReconciled();
    }

    [Fact]
    public async Task the_buyer_rejects_an_item_not_as_described_and_is_refunded_in_full()
    {
        var rig = await TradeRig.Create(api);
        var fees = await rig.Fees();
        var (id, meetup) = await rig.Scheduled(Price);
        await TradeRig.Refused(rig.Buyer, TradeRig.Post($"/api/v1/trades/{id}/reject-item", new { reason = "not_as_described" }),
            HttpStatusCode.Conflict, "outside_time_window");
        await rig.AdvanceTo(meetup);
        await TradeRig.Refused(rig.Seller, TradeRig.Post($"/api/v1/trades/{id}/reject-item", new { reason = "not_as_described" }),
            HttpStatusCode.Forbidden, "forbidden");
        var ended = await TradeRig.Act(rig.Buyer, id, "reject-item", new { reason = "not_as_described", details = "The frame is cracked." });
        Assert.Equal(("cancelled", "not_as_described"), (ended.GetProperty("status").GetString(), ended.GetProperty("endReason").GetString()));
        Assert.Equal(Refunded, await Money.Of(rig, fees));
        Assert.Equal("active", await rig.ItemStatus());
        await rig.AssertReconciled();
    }

    [Fact]
    public async Task a_mutual_cancel_needs_both_parties_and_a_handoff_confirmation_clears_the_request()
    {
        var rig = await TradeRig.Create(api);
        var fees = await rig.Fees();
        var (id, meetup) = await rig.Scheduled(Price);
        var requested = await TradeRig.Act(rig.Buyer, id, "cancel", new { reason = "mutual" });
        Assert.Equal(("scheduled", "buyer"), (requested.GetProperty("status").GetString(), requested.GetProperty("cancelRequestedBy").GetString()));
        Assert.Equal(Held, await Money.Of(rig, fees));
        var ended = await TradeRig.Act(rig.Seller, id, "cancel", new { reason = "mutual" });
        Assert.Equal(("cancelled", "mutual"), (ended.GetProperty("status").GetString(), ended.GetProperty("endReason").GetString()));
        Assert.Equal(Refunded, await Money.Of(rig, fees));

        var other = await rig.PublishItem(rig.Seller);
        var second = (await TradeRig.Ok(rig.Buyer, TradeRig.Post("/api/v1/trades", new { itemId = other, offerMinor = Price }), HttpStatusCode.Created));
        var secondId = second.GetProperty("id").GetGuid();
        await TradeRig.Act(rig.Seller, secondId, "accept");
        var secondMeetup = await rig.AgreeOnPlaceAndTime(secondId, second.GetProperty("createdAt").GetDateTimeOffset());
        await TradeRig.Act(rig.Seller, secondId, "cancel", new { reason = "mutual" });
        await rig.AdvanceTo(secondMeetup);
        var confirmed = await TradeRig.Act(rig.Seller, secondId, "handoff");
        Assert.False(confirmed.TryGetProperty("cancelRequestedBy", out var by) && by.ValueKind != System.Text.Json.JsonValueKind.Null);
        await rig.AssertReconciled();
    }

    [Fact]
    public async Task one_confirmation_completes_the_trade_by_itself_seven_days_later()
    {
        var rig = await TradeRig.Create(api);
        var fees = await rig.Fees();
        var (id, meetup) = await rig.Scheduled(Price);
        await rig.AdvanceTo(meetup);
        var confirmed = await TradeRig.Act(rig.Seller, id, "handoff");
        await rig.AdvanceTo(confirmed.GetProperty("handoff").GetProperty("sellerConfirmedAt").GetDateTimeOffset() + TimeSpan.FromDays(7));
        var ended = await TradeRig.Get(rig.Buyer, id);
        Assert.Equal(("completed", "auto_completed"), (ended.GetProperty("status").GetString(), ended.GetProperty("endReason").GetString()));
        Assert.Equal(Released, await Money.Of(rig, fees));
        Assert.Equal("traded", await rig.ItemStatus());
        await rig.AssertReconciled();
    }

    [Fact]
    public async Task a_hold_nobody_acts_on_is_refunded_thirty_days_after_it_was_placed()
    {
        var rig = await TradeRig.Create(api);
        var fees = await rig.Fees();
        var (id, _) = await rig.Scheduled(Price);
        var held = (await TradeRig.Get(rig.Buyer, id)).GetProperty("heldAt").GetDateTimeOffset();
        await rig.AdvanceTo(held + TimeSpan.FromDays(30));
        var ended = await TradeRig.Get(rig.Seller, id);
        Assert.Equal(("cancelled", "hold_timeout"), (ended.GetProperty("status").GetString(), ended.GetProperty("endReason").GetString()));
        Assert.Equal(Refunded, await Money.Of(rig, fees));
        Assert.Equal("active", await rig.ItemStatus());
        await rig.AssertReconciled();
    }

    [Fact]
    public async Task a_moderator_cancels_a_scheduled_trade_with_a_full_refund()
    {
        var rig = await TradeRig.Create(api);
        var fees = await rig.Fees();
        var (id, _) = await rig.Scheduled(Price);
        using var moderator = api.ClientFor(await api.Admin());
        var seen = await TradeRig.Get(moderator, id);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, seen.GetProperty("myRole").ValueKind);
        var ended = await TradeRig.Ok(moderator, TradeRig.Post($"/api/v1/admin/trades/{id}/cancel", new { note = "Reported as a scam attempt.", atFault = "seller" }));
        Assert.Equal(("cancelled", "moderator_cancel"), (ended.GetProperty("status").GetString(), ended.GetProperty("endReason").GetString()));
        Assert.Equal(Refunded, await Money.Of(rig, fees));
        Assert.Equal("active", await rig.ItemStatus());
        await rig.AssertReconciled();
    }

    [Fact]
    public async Task a_hold_the_buyer_cannot_pay_leaves_the_trade_accepted_with_the_escrow_error_and_moves_nothing()
    {
        var rig = await TradeRig.Create(api);
        var fees = await rig.Fees();
        var offered = await rig.Offer(Price);
        var id = offered.GetProperty("id").GetGuid();
        await TradeRig.Act(rig.Seller, id, "accept");
        // The buyer spends the credits elsewhere before the hold step.
        await TradeRig.Ok(rig.Buyer, TradeRig.Post("/api/v1/credits/transfers", new { toUserId = rig.SellerUser.Id, amountMinor = Start - Price }),
            HttpStatusCode.Created);
        await rig.AgreeOnPlaceAndTime(id, offered.GetProperty("createdAt").GetDateTimeOffset());
        var trade = await TradeRig.Get(rig.Buyer, id);
        Assert.Equal(("accepted", "insufficient_funds"), (trade.GetProperty("status").GetString(), trade.GetProperty("escrowError").GetString()));
        await TradeRig.Refused(rig.Buyer, TradeRig.Post($"/api/v1/trades/{id}/hold"), HttpStatusCode.UnprocessableEntity, "insufficient_funds");
        Assert.Equal(new Money(Price, 0, Start + Start - Price, 0), await Money.Of(rig, fees));
        Assert.Equal("active", await rig.ItemStatus());
        await rig.AssertReconciled();
    }

    [Fact]
    public async Task the_first_trade_to_hold_escrow_wins_the_item_and_the_other_offers_are_declined()
    {
        var rig = await TradeRig.Create(api);
        var second = api.ClientFor(await api.RegisterVerified());
        var first = await rig.Offer(Price);
        var other = await TradeRig.Ok(second, TradeRig.Post("/api/v1/trades", new { itemId = rig.ItemId, offerMinor = Price + 100 }), HttpStatusCode.Created);
        var otherId = other.GetProperty("id").GetGuid();
        await TradeRig.Act(rig.Seller, otherId, "accept");
        var firstId = first.GetProperty("id").GetGuid();
        await TradeRig.Act(rig.Seller, firstId, "accept");
        await rig.AgreeOnPlaceAndTime(firstId, first.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal("scheduled", (await TradeRig.Get(rig.Buyer, firstId)).GetProperty("status").GetString());
        var lost = await TradeRig.Get(second, otherId);
        Assert.Equal(("declined", "item_reserved"), (lost.GetProperty("status").GetString(), lost.GetProperty("endReason").GetString()));
        await rig.AssertReconciled();
    }

    [Fact]
    public async Task offers_are_refused_on_ones_own_item_twice_on_one_item_and_from_an_unverified_buyer()
    {
        var rig = await TradeRig.Create(api);
        await TradeRig.Refused(rig.Seller, TradeRig.Post("/api/v1/trades", new { itemId = rig.ItemId, offerMinor = Price }),
            HttpStatusCode.Forbidden, "forbidden");
        await rig.Offer(Price);
        await TradeRig.Refused(rig.Buyer, TradeRig.Post("/api/v1/trades", new { itemId = rig.ItemId, offerMinor = Price + 100 }),
            HttpStatusCode.Conflict, "trade_exists");
        using var unverified = api.ClientFor(await api.Register());
        await TradeRig.Refused(unverified, TradeRig.Post("/api/v1/trades", new { itemId = rig.ItemId, offerMinor = Price }),
            HttpStatusCode.Forbidden, "email_not_verified");
        await TradeRig.Refused(rig.Buyer, TradeRig.Post("/api/v1/trades", new { itemId = Guid.NewGuid(), offerMinor = Price }),
            HttpStatusCode.NotFound, "not_found");
        var mine = await TradeRig.Ok(rig.Buyer, new HttpRequestMessage(HttpMethod.Get, "/api/v1/me/trades?role=buyer"));
        Assert.Single(mine.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task an_item_archived_or_flagged_cancels_its_open_offers_and_a_reserved_item_cannot_be_archived()
    {
        var rig = await TradeRig.Create(api);
        var offered = (await rig.Offer(Price)).GetProperty("id").GetGuid();
        await TradeRig.Ok(rig.Seller, new HttpRequestMessage(HttpMethod.Post, $"/api/v1/items/{rig.ItemId}/archive"));
        var ended = await TradeRig.Get(rig.Buyer, offered);
        Assert.Equal(("cancelled", "item_unavailable"), (ended.GetProperty("status").GetString(), ended.GetProperty("endReason").GetString()));

        await rig.NewItem();
        var accepted = (await rig.Offer(Price)).GetProperty("id").GetGuid();
        await TradeRig.Act(rig.Seller, accepted, "accept");
        using var moderator = api.ClientFor(await api.Admin());
        await TradeRig.Ok(moderator, new HttpRequestMessage(HttpMethod.Post, $"/api/v1/admin/items/{rig.ItemId}/review")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { action = "flag", reason = "Looks like a recalled model." }),
        });
        Assert.Equal("cancelled", (await TradeRig.Get(rig.Seller, accepted)).GetProperty("status").GetString());

        await rig.NewItem();
        var (held, _) = await rig.Scheduled(Price);
        await TradeRig.Refused(rig.Seller, new HttpRequestMessage(HttpMethod.Post, $"/api/v1/items/{rig.ItemId}/archive"),
            HttpStatusCode.Conflict, "invalid_transition");
        Assert.Equal("scheduled", (await TradeRig.Get(rig.Buyer, held)).GetProperty("status").GetString());
        await rig.AssertReconciled();
    }
}
