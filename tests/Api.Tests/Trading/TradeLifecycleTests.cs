using System.Net;

namespace NeXChange.Api.Tests.Trading;

/// <summary>
/// Each path of SPEC.md 6.2 walked over HTTP by two real users, with every balance checked after every money step
/// against SPEC 2.4's movements: buyer available and escrow, seller, and the platform fees account.
/// </summary>
public sealed class TradeLifecycleTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const long Price = 5_000;
    private const long Fee = 387; // SPEC.md 2.5: min(199 + round(5000 × 375 / 10 000), 5 000)

    [Fact]
    public async Task a_countered_offer_accepted_scheduled_and_handed_over_releases_the_price_to_the_seller_and_keeps_the_fee()
    {
        var rig = await TradeRig.Create(api);
        var feesBefore = await rig.Fees();

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
        Assert.Equal((TradeRig.StartingCredits, 0), await TradeRig.Balance(rig.Buyer));

        var meetup = await rig.AgreeOnPlaceAndTime(id, offered.GetProperty("createdAt").GetDateTimeOffset());
        var scheduled = await TradeRig.Get(rig.Buyer, id);
        Assert.Equal("scheduled", scheduled.GetProperty("status").GetString());
        Assert.Equal((TradeRig.StartingCredits - Price - Fee, Price), await TradeRig.Balance(rig.Buyer));
        Assert.Equal(feesBefore + Fee, await rig.Fees());
        Assert.Equal("reserved", await rig.ItemStatus());

        await rig.AdvanceTo(meetup);
        var first = await TradeRig.Act(rig.Buyer, id, "handoff");
        Assert.Equal("scheduled", first.GetProperty("status").GetString());
        var done = await TradeRig.Act(rig.Seller, id, "handoff");
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal("completed_by_parties", done.GetProperty("endReason").GetString());

        Assert.Equal((TradeRig.StartingCredits - Price - Fee, 0), await TradeRig.Balance(rig.Buyer));
        Assert.Equal((TradeRig.StartingCredits + Price, 0), await TradeRig.Balance(rig.Seller));
        Assert.Equal(feesBefore + Fee, await rig.Fees());
        Assert.Equal("traded", await rig.ItemStatus());
        await rig.AssertReconciled();
    }

    [Fact]
    public async Task an_offer_expires_after_48_hours_and_nothing_moves()
    {
        var rig = await TradeRig.Create(api);
        var offered = await rig.Offer(Price);
        var id = offered.GetProperty("id").GetGuid();
        await rig.AdvanceTo(offered.GetProperty("expiresAt").GetDateTimeOffset());
        var expired = await TradeRig.Get(rig.Seller, id);
        Assert.Equal("expired", expired.GetProperty("status").GetString());
        Assert.Equal("offer_expired", expired.GetProperty("endReason").GetString());
        await TradeRig.Refused(rig.Seller, TradeRig.Post($"/api/v1/trades/{id}/accept"), HttpStatusCode.Conflict, "invalid_transition");
        Assert.Equal((TradeRig.StartingCredits, 0), await TradeRig.Balance(rig.Buyer));
        Assert.Equal("active", await rig.ItemStatus());
    }
}
