using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NeXChange.Api.Tests.Trading;

namespace NeXChange.Api.Tests;

/// <summary>
/// <c>POST /admin/ledger/reversals</c> (SPEC.md 2.4, 8.6): the negation of an admin grant or a transfer, linked to it,
/// once, refused rather than overdrawing, audited; the ledger reconciles after every test.
/// </summary>
public sealed class ReversalTests(ApiFixture api) : IClassFixture<ApiFixture>, IAsyncLifetime
{
    private const string Reason = "Sent to the wrong neighbour by mistake";
    private HttpClient ops = null!;
    private TestUser admin = null!;

    public async Task InitializeAsync()
    {
        admin = await api.Admin();
        ops = api.ClientFor(admin);
    }

    public async Task DisposeAsync()
    {
        var report = await (await ops.GetAsync("/api/v1/admin/ledger/reconciliation")).Json();
        ops.Dispose();
        Assert.True(report.GetProperty("ok").GetBoolean(), report.ToString());
    }

    private static HttpRequestMessage Post(string path, object body, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        return request;
    }

    private Task<HttpResponseMessage> Reverse(Guid transactionId, string? key = null, HttpClient? caller = null) =>
        (caller ?? ops).SendAsync(Post("/api/v1/admin/ledger/reversals", new { transactionId, reason = Reason }, key));

    private static async Task<long> Available(HttpClient client) =>
        (await (await client.GetAsync("/api/v1/me/credits")).Json()).GetProperty("availableMinor").GetInt64();

    private async Task<JsonElement> Transaction(Guid id) => await (await ops.GetAsync($"/api/v1/admin/ledger/transactions/{id}")).Json();

    private async Task<Guid> Grant(Guid userId, long amountMinor)
    {
        var response = await ops.SendAsync(Post("/api/v1/admin/credits/grants", new { userId, amountMinor, reason = "Prize for the spring fair" }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Json()).GetProperty("transactionId").GetGuid();
    }

    private static async Task<Guid> Transfer(HttpClient from, Guid toUserId, long amountMinor)
    {
        var response = await from.SendAsync(Post("/api/v1/credits/transfers", new { toUserId, amountMinor }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Json()).GetProperty("transactionId").GetGuid();
    }

    private static async Task AssertRefused(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Json();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode} {body}");
        Assert.Equal(code, body.GetProperty("code").GetString());
    }

    private async Task<JsonElement[]> ReversalAudit(Guid originalId) =>
        [.. (await (await ops.GetAsync($"/api/v1/admin/audit?action=LEDGER_REVERSAL&entityId={originalId}")).Json())
            .GetProperty("items").EnumerateArray()];

    /// <summary>The original's legs, each negated, equal the reversal's legs.</summary>
    private static void AssertNegates(JsonElement original, JsonElement reversal)
    {
        static IEnumerable<(string?, string, long)> Legs(JsonElement tx, int sign) => tx.GetProperty("entries").EnumerateArray()
            .Select(e => (e.GetProperty("accountKind").GetString(), e.GetProperty("ownerId").ToString(), sign * e.GetProperty("amountMinor").GetInt64()))
            .Order();
        Assert.Equal(Legs(original, -1), Legs(reversal, 1));
    }

    [Fact]
    public async Task reversing_a_grant_takes_the_credits_back_linked_and_audited()
    {
        var user = await api.RegisterVerified();
        using var client = api.ClientFor(user);
        var grantId = await Grant(user.Id, 5_000);

        var response = await Reverse(grantId);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Json();
        var reversalId = body.GetProperty("transactionId").GetGuid();
        Assert.Equal(grantId, body.GetProperty("reversesTransactionId").GetGuid());
        Assert.Equal($"/api/v1/admin/ledger/transactions/{reversalId}", response.Headers.Location!.OriginalString);
        var reversal = await Transaction(reversalId);
        Assert.Equal("reversal", reversal.GetProperty("kind").GetString());
        Assert.Equal(grantId, reversal.GetProperty("reversesTransactionId").GetGuid());
        Assert.Equal(admin.Id, reversal.GetProperty("initiatorId").GetGuid());
        Assert.Equal(Reason, reversal.GetProperty("reason").GetString());
        var grant = await Transaction(grantId);
        Assert.Equal(reversalId, grant.GetProperty("reversedByTransactionId").GetGuid());
        AssertNegates(grant, reversal);
        Assert.Equal(10_000, await Available(client));

        var audit = Assert.Single(await ReversalAudit(grantId));
        Assert.Equal(admin.Id, audit.GetProperty("actorId").GetGuid());
        var data = audit.GetProperty("data");
        Assert.Equal(grantId, data.GetProperty("originalTransactionId").GetGuid());
        Assert.Equal("admin_grant", data.GetProperty("kind").GetString());
        Assert.Equal(Reason, data.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task reversing_a_transfer_returns_the_credits_to_the_sender_but_not_the_daily_allowance()
    {
        var a = await api.RegisterVerified();
        var b = await api.RegisterVerified();
        using var alice = api.ClientFor(a);
        using var bob = api.ClientFor(b);
        var transferId = await Transfer(alice, b.Id, 2_500);

        var response = await Reverse(transferId);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var reversal = await Transaction((await response.Json()).GetProperty("transactionId").GetGuid());
        AssertNegates(await Transaction(transferId), reversal);
        Assert.Equal(10_000, await Available(alice));
        Assert.Equal(10_000, await Available(bob));
        var balance = await (await alice.GetAsync("/api/v1/me/credits")).Json();
        Assert.Equal(2_500, balance.GetProperty("dailyOutflowUsedMinor").GetInt64());
        Assert.Equal(1, balance.GetProperty("dailyTransactionsUsed").GetInt32());
        var audit = Assert.Single(await ReversalAudit(transferId));
        Assert.Equal("transfer", audit.GetProperty("data").GetProperty("kind").GetString());
    }

    [Fact]
    public async Task a_replay_returns_the_first_answer_and_a_second_request_is_refused()
    {
        var user = await api.RegisterVerified();
        using var client = api.ClientFor(user);
        var grantId = await Grant(user.Id, 3_000);
        var key = Guid.NewGuid().ToString();
        var first = await Reverse(grantId, key);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        var replay = await Reverse(grantId, key);
        var second = await Reverse(grantId);

        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, replay.Headers.Location);
        var refused = await second.Json();
        await AssertRefused(second, HttpStatusCode.Conflict, "invalid_transition");
        Assert.Equal("reversed", refused.GetProperty("currentStatus").GetString());
        Assert.Equal(10_000, await Available(client));
        Assert.Single(await ReversalAudit(grantId));
    }

    [Fact]
    public async Task concurrent_requests_with_different_keys_make_one_reversal()
    {
        var user = await api.RegisterVerified();
        using var client = api.ClientFor(user);
        var grantId = await Grant(user.Id, 4_000);

        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Reverse(grantId)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            await AssertRefused(refused, HttpStatusCode.Conflict, "invalid_transition");
        Assert.Equal(10_000, await Available(client));
        Assert.Single(await ReversalAudit(grantId));
    }

    [Fact]
    public async Task only_grants_and_transfers_can_be_reversed()
    {
        var rig = await TradeRig.Create(api);
        await rig.Scheduled(1_000);
        var history = (await (await rig.Buyer.GetAsync("/api/v1/me/credits/history?limit=100")).Json()).GetProperty("items").EnumerateArray().ToList();
        Guid Of(string kind) => history.First(e => e.GetProperty("kind").GetString() == kind).GetProperty("transactionId").GetGuid();
        var grantId = await Grant(rig.BuyerUser.Id, 1_000);
        var reversalId = (await (await Reverse(grantId)).Json()).GetProperty("transactionId").GetGuid();
        var before = await TradeRig.Balance(rig.Buyer);

        foreach (var id in new[] { Of("signup_grant"), Of("escrow_hold"), reversalId })
        {
            var response = await Reverse(id);
            var body = await response.Json();
            await AssertRefused(response, HttpStatusCode.Conflict, "invalid_transition");
            Assert.Equal("not_reversible", body.GetProperty("currentStatus").GetString());
            Assert.Empty(await ReversalAudit(id));
        }
        Assert.Equal(before, await TradeRig.Balance(rig.Buyer));
    }

    [Fact]
    public async Task a_reversal_that_would_overdraw_is_refused_and_changes_nothing()
    {
        var a = await api.RegisterVerified();
        var b = await api.RegisterVerified();
        var c = await api.RegisterVerified();
        using var alice = api.ClientFor(a);
        using var bob = api.ClientFor(b);
        var transferId = await Transfer(alice, b.Id, 2_500);
        await Transfer(bob, c.Id, 11_000);

        var response = await Reverse(transferId);

        var body = await response.Json();
        await AssertRefused(response, HttpStatusCode.UnprocessableEntity, "insufficient_funds");
        Assert.Equal(1_500, body.GetProperty("availableMinor").GetInt64());
        Assert.Equal(2_500, body.GetProperty("requiredMinor").GetInt64());
        Assert.Equal(7_500, await Available(alice));
        Assert.Equal(1_500, await Available(bob));
        Assert.Equal(JsonValueKind.Null, (await Transaction(transferId)).GetProperty("reversedByTransactionId").ValueKind);
        Assert.Empty(await ReversalAudit(transferId));
    }

    [Fact]
    public async Task unknown_malformed_or_unexplained_reversals_are_refused()
    {
        var user = await api.RegisterVerified();
        using var plain = api.ClientFor(user);
        var grantId = await Grant(user.Id, 2_000);

        await AssertRefused(await Reverse(Guid.NewGuid()), HttpStatusCode.NotFound, "not_found");
        await AssertRefused(await ops.SendAsync(Post("/api/v1/admin/ledger/reversals", new { transactionId = "not-a-uuid", reason = Reason })),
            HttpStatusCode.NotFound, "not_found");
        foreach (var reason in new string?[] { null, "too short", new('x', 501) })
        {
            await AssertRefused(await ops.SendAsync(Post("/api/v1/admin/ledger/reversals", new { transactionId = grantId, reason })),
                HttpStatusCode.BadRequest, "validation_failed");
        }
        var noKey = new HttpRequestMessage(HttpMethod.Post, "/api/v1/admin/ledger/reversals") { Content = JsonContent.Create(new { transactionId = grantId, reason = Reason }) };
        await AssertRefused(await ops.SendAsync(noKey), HttpStatusCode.BadRequest, "idempotency_key_missing");
        await AssertRefused(await Reverse(grantId, caller: plain), HttpStatusCode.Forbidden, "forbidden");

        Assert.Equal(12_000, await Available(plain));
        Assert.Empty(await ReversalAudit(grantId));
    }
}
