using Microsoft.Extensions.DependencyInjection;
using NeXChange.Grains.Tests.Users;
using NeXChange.Notifications;
using NeXChange.Users;

namespace NeXChange.Grains.Tests.Notifications;

/// <summary>The publisher against the real table and the file outbox (SPEC.md 6.10).</summary>
public sealed class NotifierTests(UsersCluster cluster) : IClassFixture<UsersCluster>
{
    private Notifier Notifier => cluster.SiloServices().GetRequiredService<Notifier>();

    private async Task<Guid> VerifiedUserAsync(string email)
    {
        var (id, _) = await cluster.RegisterAsync(email);
        await cluster.Grains.GetGrain<IUserDirectoryGrain>(0).VerifyEmail(Assert.Single(await cluster.TokensMailedToAsync(email)));
        return id;
    }

    private static NotificationEvent OfferReceived(Guid recipient, Guid tradeId) => new(
        NotificationEvent.IdFor($"trade:{tradeId}:offer_received"), NotificationTypes.OfferReceived, [recipient], tradeId, null,
        new Dictionary<string, object?> { ["itemTitle"] = "Oak bookshelf", ["offerMinor"] = 4_000L });

    [Fact]
    public async Task publishing_the_same_event_twice_stores_one_row_and_sends_one_email()
    {
        var seller = await VerifiedUserAsync("notify.twice@example.com");
        var tradeId = Guid.CreateVersion7();

        await Notifier.PublishAsync(OfferReceived(seller, tradeId));
        await Notifier.PublishAsync(OfferReceived(seller, tradeId));

        Assert.Equal(1L, await cluster.ScalarAsync<long>("select count(*) from notifications where recipient_id = $1", seller));
        var offers = (await cluster.MailTo("notify.twice@example.com")).Where(m => m.Subject?.Contains("Oak bookshelf") == true).ToList();
        Assert.Single(offers);
    }

    [Fact]
    public async Task an_unverified_address_gets_the_feed_entry_but_no_email()
    {
        var (seller, _) = await cluster.RegisterAsync("notify.unverified@example.com");

        await Notifier.PublishAsync(OfferReceived(seller, Guid.CreateVersion7()));

        Assert.Equal(1L, await cluster.ScalarAsync<long>("select count(*) from notifications where recipient_id = $1", seller));
        Assert.DoesNotContain(await cluster.MailTo("notify.unverified@example.com"), m => m.Subject?.Contains("Oak bookshelf") == true);
    }

    [Fact]
    public async Task data_other_than_strings_integers_and_booleans_is_refused_before_anything_is_stored()
    {
        var user = await VerifiedUserAsync("notify.data@example.com");
        var nested = new NotificationEvent(Guid.NewGuid(), NotificationTypes.GrantReceived, [user], null, null,
            new Dictionary<string, object?> { ["from"] = new { id = user } });

        await Assert.ThrowsAsync<ArgumentException>(() => Notifier.PublishAsync(nested));
        await Assert.ThrowsAsync<ArgumentException>(() => Notifier.PublishAsync(nested with { Type = "gossip", Data = new Dictionary<string, object?>() }));

        Assert.Equal(0L, await cluster.ScalarAsync<long>("select count(*) from notifications where recipient_id = $1", user));
    }
}
