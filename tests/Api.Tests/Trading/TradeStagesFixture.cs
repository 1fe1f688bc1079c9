using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;

namespace NeXChange.Api.Tests.Trading;

/// <summary>The stages a trade can be refused in: the open states of SPEC.md 6.2 that a party reaches by hand.</summary>
public enum TradeStage { Offered, Countered, Accepted, Scheduled }

/// <summary>A trade in a known stage, the rig that made it and, once scheduled, its agreed meetup time.</summary>
public sealed record StagedTrade(TradeRig Rig, Guid Id, TradeStage Stage, DateTimeOffset CreatedAt, DateTimeOffset? MeetupAt)
{
    public string Status => Stage.ToString().ToLowerInvariant();
}

/// <summary>
/// One host for the authorization and hostile-input tests, with one trade per stage made on first use and shared by
/// every row: each row is a refusal (or a read) and checks that the trade's version and both balances stayed as they
/// were, so sharing is safe exactly as long as the rows pass. The tests move the dev clock by seconds at most, far
/// from every timer of the staged trades.
/// </summary>
public sealed class TradeStagesFixture : ApiFixture
{
    public const long OfferMinor = 5_000;
    public const long CounterMinor = 5_500;

    private readonly ConcurrentDictionary<TradeStage, Lazy<Task<StagedTrade>>> stages = new();
    private readonly Lazy<Task<TestUser>> stranger;
    private readonly Lazy<Task<TestUser>> moderator;

    public TradeStagesFixture()
    {
        stranger = new(() => this.RegisterVerified());
        moderator = new(NewModerator);
    }

    /// <summary>A verified user who is party to none of the staged trades.</summary>
    public Task<TestUser> Stranger() => stranger.Value;

    /// <summary>A user an admin made moderator, signed in again so that the token carries the role (SPEC.md 3.3).</summary>
    public Task<TestUser> Moderator() => moderator.Value;

    public async Task<HttpClient> ClientFor(Caller caller, StagedTrade trade) => caller switch
    {
        Caller.Anonymous => NewClient(),
        Caller.Stranger => this.ClientFor(await Stranger()),
        Caller.Buyer => this.ClientFor(trade.Rig.BuyerUser),
        Caller.Seller => this.ClientFor(trade.Rig.SellerUser),
        _ => this.ClientFor(await Moderator()),
    };

    public Task<StagedTrade> At(TradeStage stage) => stages.GetOrAdd(stage, s => new Lazy<Task<StagedTrade>>(() => Stage(s))).Value;

    private async Task<StagedTrade> Stage(TradeStage stage)
    {
        var rig = await TradeRig.Create(this);
        if (stage == TradeStage.Scheduled)
        {
            // Both parties have a profile photo, so that the identity reveal has something to grant (SPEC.md 3.7).
            await TradeRig.SetPhoto(rig.Buyer);
            await TradeRig.SetPhoto(rig.Seller);
            var (id, meetup) = await rig.Scheduled(OfferMinor);
            return new StagedTrade(rig, id, stage, (await TradeRig.Get(rig.Buyer, id)).GetProperty("createdAt").GetDateTimeOffset(), meetup);
        }
        var offered = await rig.Offer(OfferMinor);
        var tradeId = offered.GetProperty("id").GetGuid();
        if (stage == TradeStage.Countered) await TradeRig.Act(rig.Seller, tradeId, "counter", new { counterMinor = CounterMinor });
        if (stage == TradeStage.Accepted) await TradeRig.Act(rig.Seller, tradeId, "accept");
        var trade = await TradeRig.Get(rig.Buyer, tradeId);
        Assert.Equal(stage.ToString().ToLowerInvariant(), trade.GetProperty("status").GetString());
        return new StagedTrade(rig, tradeId, stage, trade.GetProperty("createdAt").GetDateTimeOffset(), null);
    }

    private async Task<TestUser> NewModerator()
    {
        var user = await this.RegisterVerified();
        using var admin = this.ClientFor(await this.Admin());
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/v1/admin/users/{user.Id}/role", new { role = "moderator" })).StatusCode);
        using var anonymous = NewClient();
        var login = await (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = TestUsers.Password })).Json();
        Assert.Equal("moderator", login.GetProperty("user").GetProperty("role").GetString());
        return user with { AccessToken = login.GetProperty("accessToken").GetString()!, RefreshToken = login.GetProperty("refreshToken").GetString()! };
    }
}

/// <summary>The authorization and hostile-input tests share one host and its staged trades; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class TradeStagesCollection : ICollectionFixture<TradeStagesFixture>
{
    public const string Name = "Trade stages";
}

/// <summary>What a refused request must leave as it was: the trade's version and both parties' balances.</summary>
public sealed record TradeSnapshot(long Version, (long Available, long Held) Buyer, (long Available, long Held) Seller)
{
    public static async Task<TradeSnapshot> Of(StagedTrade trade) => new(
        (await TradeRig.Get(trade.Rig.Buyer, trade.Id)).GetProperty("version").GetInt64(),
        await TradeRig.Balance(trade.Rig.Buyer),
        await TradeRig.Balance(trade.Rig.Seller));
}
