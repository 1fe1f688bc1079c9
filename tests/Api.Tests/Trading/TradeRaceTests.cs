using System.Net;
using static NeXChange.Api.Tests.Trading.TradeLifecycleTests;

namespace NeXChange.Api.Tests.Trading;

/// <summary>
/// Requests that race (issue 9, done means): the grains serialize each trade and each item, so whatever the order,
/// exactly one outcome wins, money moves once, and the item's state matches its trades.
/// </summary>
public sealed class TradeRaceTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task two_buyers_completing_their_holds_at_once_get_one_reservation_and_one_hold()
    {
        var rig = await TradeRig.Create(api);
        var fees = await rig.Fees();
        var secondUser = await api.RegisterVerified();
        using var second = api.ClientFor(secondUser);
        var zone = await rig.SafeZone();

        async Task<(Guid Id, DateTimeOffset Meetup)> Prepare(HttpClient buyer)
        {
            var offered = await TradeRig.Ok(buyer, TradeRig.Post("/api/v1/trades", new { itemId = rig.ItemId, offerMinor = Price }), HttpStatusCode.Created);
            var id = offered.GetProperty("id").GetGuid();
            await TradeRig.Act(rig.Seller, id, "accept");
            await TradeRig.Act(buyer, id, "location", new { choice = "safe_zone", safeZoneId = zone });
            await TradeRig.Act(rig.Seller, id, "location", new { choice = "accept_partner" });
            var meetup = TradeRig.WholeMinute(offered.GetProperty("createdAt").GetDateTimeOffset() + TimeSpan.FromDays(1));
            await TradeRig.Act(rig.Seller, id, "time", new { proposedAt = meetup });
            return (id, meetup);
        }

        var a = await Prepare(rig.Buyer);
        var b = await Prepare(second);
        var answers = await Task.WhenAll(
            rig.Buyer.SendAsync(TradeRig.Post($"/api/v1/trades/{a.Id}/time/accept", new { proposedAt = a.Meetup })),
            second.SendAsync(TradeRig.Post($"/api/v1/trades/{b.Id}/time/accept", new { proposedAt = b.Meetup })));

        var statuses = new[] { (await TradeRig.Get(rig.Buyer, a.Id)).GetProperty("status").GetString(), (await TradeRig.Get(second, b.Id)).GetProperty("status").GetString() };
        Assert.Equal(["declined", "scheduled"], statuses.Order());
        // The winner's accept answers 200 with its scheduled trade. The loser's depends on the order the grains saw:
        // 200 with its trade declined when it reached the item after the winner (item_reserved), or 409
        // invalid_transition when the winner had already declined it before its accept arrived.
        var winner = statuses[0] == "scheduled" ? 0 : 1;
        Assert.Equal(HttpStatusCode.OK, answers[winner].StatusCode);
        var loser = answers[1 - winner];
        if (loser.StatusCode != HttpStatusCode.OK)
        {
            Assert.Equal(HttpStatusCode.Conflict, loser.StatusCode);
            Assert.Equal("invalid_transition", (await loser.Json()).GetProperty("code").GetString());
        }
        var (aAvailable, aHeld) = await TradeRig.Balance(rig.Buyer);
        var (bAvailable, bHeld) = await TradeRig.Balance(second);
        Assert.Equal(Price, aHeld + bHeld);
        Assert.Equal(2 * Start - Price - Fee, aAvailable + bAvailable);
        Assert.Equal(Fee, await rig.Fees() - fees);
        Assert.Equal("reserved", await rig.ItemStatus());
        await rig.AssertReconciled();
    }

    [Fact]
    public async Task accept_racing_withdraw_ends_in_exactly_one_of_them()
    {
        for (var round = 0; round < 5; round++)
        {
            var rig = await TradeRig.Create(api);
            var id = (await rig.Offer(Price)).GetProperty("id").GetGuid();
            var answers = await Task.WhenAll(
                rig.Seller.SendAsync(TradeRig.Post($"/api/v1/trades/{id}/accept")),
                rig.Buyer.SendAsync(TradeRig.Post($"/api/v1/trades/{id}/withdraw")));
            Assert.Single(answers, r => r.StatusCode == HttpStatusCode.OK);
            Assert.Single(answers, r => r.StatusCode == HttpStatusCode.Conflict);
            var status = (await TradeRig.Get(rig.Buyer, id)).GetProperty("status").GetString();
            Assert.Contains(status, new[] { "accepted", "withdrawn" });
            Assert.Equal((Start, 0), await TradeRig.Balance(rig.Buyer));
        }
    }

    [Fact]
    public async Task duplicate_handoff_confirmations_at_once_release_once()
    {
        var rig = await TradeRig.Create(api);
        var fees = await rig.Fees();
        var (id, meetup) = await rig.Scheduled(Price);
        await rig.AdvanceTo(meetup);
        await TradeRig.Act(rig.Buyer, id, "handoff");
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => rig.Seller.SendAsync(TradeRig.Post($"/api/v1/trades/{id}/handoff"))));
        Assert.Single(answers, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(answers.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(Released, await Money.Of(rig, fees));
        Assert.Equal("traded", await rig.ItemStatus());
        await rig.AssertReconciled();
    }
}
