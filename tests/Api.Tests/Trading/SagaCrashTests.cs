using System.Net;
using Microsoft.Extensions.DependencyInjection;
using NeXChange.Credits;
using NeXChange.TestSupport;
using NeXChange.Trading;
using Npgsql;
using Orleans.Core.Internal;
using static NeXChange.Api.Tests.Trading.TradeLifecycleTests;

namespace NeXChange.Api.Tests.Trading;

/// <summary>
/// The ledger writer of a silo that dies right after a posting commits: the posting is in the database, but the
/// caller (the TradeGrain's saga step) never hears back. Armed for one idempotency key at a time.
/// </summary>
public sealed class CrashAfterCommitWriter(PostgresLedgerWriter inner) : ILedgerWriter
{
    private readonly Lock gate = new();
    private string? armedKey;

    public void ArmFor(string idempotencyKey)
    {
        lock (gate) armedKey = idempotencyKey;
    }

    public async Task<PostResult> PostAsync(LedgerPosting posting, CancellationToken cancellationToken = default)
    {
        var result = await inner.PostAsync(posting, cancellationToken);
        lock (gate)
        {
            if (armedKey != posting.IdempotencyKey) return result;
            armedKey = null;
        }
        throw new TimeoutException("The silo went away after the commit.");
    }

    public Task<PostResult?> FindAsync(LedgerPosting posting, CancellationToken cancellationToken = default) => inner.FindAsync(posting, cancellationToken);
}

public sealed class SagaCrashFixture : ApiFixture
{
    public CrashAfterCommitWriter Writer => (CrashAfterCommitWriter)SiloServices.GetRequiredService<ILedgerWriter>();

    protected override void ConfigureSilo(IServiceCollection services) =>
        services.AddSingleton<ILedgerWriter>(sp => new CrashAfterCommitWriter(new PostgresLedgerWriter(
            sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<AccountDirectory>(), sp.GetRequiredService<TimeProvider>())));
}

/// <summary>
/// A saga step interrupted after its ledger posting committed (issue 9 item 2): the trade recorded the step before it
/// started, so the next activation finishes it with the same key. One movement in the ledger, the item in the state
/// that matches the trade, reconciliation clean.
/// </summary>
public sealed class SagaCrashTests(SagaCrashFixture api) : IClassFixture<SagaCrashFixture>
{
    private async Task Crash(Guid tradeId) =>
        await api.Cluster.GetGrain<ITradeGrain>(tradeId).Cast<IGrainManagementExtension>().DeactivateOnIdle();

    private Task<long> Postings(string key) =>
        Sql.ScalarAsync<long>(TestEnvironment.Owner(api.Postgres), "select count(*) from ledger.transactions where idempotency_key = $1", key);

    [Fact]
    public async Task a_transfer_whose_silo_dies_after_the_commit_has_already_notified_the_recipient()
    {
        var sender = await api.RegisterVerified();
        var recipient = await api.RegisterVerified();
        using var client = api.ClientFor(sender);
        var key = Guid.NewGuid().ToString();
        api.Writer.ArmFor($"transfer:{sender.Id}:{key}");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/credits/transfers")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { toUserId = recipient.Id, amountMinor = 700 }),
        };
        request.Headers.Add("Idempotency-Key", key);
        Assert.True((int)(await client.SendAsync(request)).StatusCode >= 500);

        // No retry: the notice was committed with the posting.
        Assert.Equal(1, await Postings($"transfer:{sender.Id}:{key}"));
        using var inbox = api.ClientFor(recipient);
        var feed = await (await inbox.GetAsync("/api/v1/me/notifications")).Json();
        var entry = Assert.Single(feed.GetProperty("items").EnumerateArray());
        Assert.Equal("transfer_received", entry.GetProperty("type").GetString());
        Assert.Equal(700, entry.GetProperty("data").GetProperty("amountMinor").GetInt64());
    }

    [Fact]
    public async Task a_hold_whose_acknowledgement_is_lost_is_finished_on_reactivation_exactly_once()
    {
        var rig = await TradeRig.Create(api);
        var fees = await rig.Fees();
        var offered = await rig.Offer(Price);
        var id = offered.GetProperty("id").GetGuid();
        await TradeRig.Act(rig.Seller, id, "accept");
        await TradeRig.Act(rig.Buyer, id, "location", new { choice = "safe_zone", safeZoneId = await rig.SafeZone() });
        await TradeRig.Act(rig.Seller, id, "location", new { choice = "accept_partner" });
        var meetup = TradeRig.WholeMinute(offered.GetProperty("createdAt").GetDateTimeOffset() + TimeSpan.FromDays(1));
        await TradeRig.Act(rig.Seller, id, "time", new { proposedAt = meetup });

        api.Writer.ArmFor($"trade:{id}:hold");
        var interrupted = await rig.Buyer.SendAsync(TradeRig.Post($"/api/v1/trades/{id}/time/accept", new { proposedAt = meetup }));
        Assert.True(interrupted.StatusCode == HttpStatusCode.ServiceUnavailable, await interrupted.Content.ReadAsStringAsync());
        await Crash(id);

        var resumed = await TradeRig.Get(rig.Buyer, id);
        Assert.Equal("scheduled", resumed.GetProperty("status").GetString());
        Assert.Equal(1, await Postings($"trade:{id}:hold"));
        Assert.Equal(Held, await Money.Of(rig, fees));
        Assert.Equal("reserved", await rig.ItemStatus());
        await rig.AssertReconciled();
    }

    [Fact]
    public async Task a_release_whose_acknowledgement_is_lost_completes_the_item_and_pays_the_seller_once()
    {
        var rig = await TradeRig.Create(api);
        var fees = await rig.Fees();
        var (id, meetup) = await rig.Scheduled(Price);
        await rig.AdvanceTo(meetup);
        await TradeRig.Act(rig.Buyer, id, "handoff");

        api.Writer.ArmFor($"trade:{id}:release");
        var interrupted = await rig.Seller.SendAsync(TradeRig.Post($"/api/v1/trades/{id}/handoff"));
        Assert.True(interrupted.StatusCode == HttpStatusCode.ServiceUnavailable, await interrupted.Content.ReadAsStringAsync());
        Assert.Equal("reserved", await rig.ItemStatus());
        await Crash(id);

        Assert.Equal("completed", (await TradeRig.Get(rig.Seller, id)).GetProperty("status").GetString());
        Assert.Equal(1, await Postings($"trade:{id}:release"));
        Assert.Equal(Released, await Money.Of(rig, fees));
        Assert.Equal("traded", await rig.ItemStatus());
        await rig.AssertReconciled();
    }

    [Fact]
    public async Task a_retried_handoff_after_an_interrupted_release_is_answered_without_a_second_payment()
    {
        var rig = await TradeRig.Create(api);
        var fees = await rig.Fees();
        var (id, meetup) = await rig.Scheduled(Price);
        await rig.AdvanceTo(meetup);
        await TradeRig.Act(rig.Buyer, id, "handoff");
        var key = Guid.NewGuid().ToString();
        api.Writer.ArmFor($"trade:{id}:release");
        Assert.False((await rig.Seller.SendAsync(TradeRig.Post($"/api/v1/trades/{id}/handoff", key: key))).IsSuccessStatusCode);

        // The client retries with its key: the first attempt ended in 5xx, so it is processed anew and finds the
        // trade completed by the resumed step.
        var retry = await rig.Seller.SendAsync(TradeRig.Post($"/api/v1/trades/{id}/handoff", key: key));
        Assert.Equal(HttpStatusCode.Conflict, retry.StatusCode);
        Assert.Equal("completed", (await retry.Json()).GetProperty("currentStatus").GetString());
        Assert.Equal(1, await Postings($"trade:{id}:release"));
        Assert.Equal(Released, await Money.Of(rig, fees));
        await rig.AssertReconciled();
    }
}
