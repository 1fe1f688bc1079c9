using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using static NeXChange.Api.Tests.Conversion.ConversionApi;

namespace NeXChange.Api.Tests.Conversion;

/// <summary>
/// Executing quotes (SPEC.md 7.3) with the sandbox partner answering at once and always well (7.5 defaults, delay 0):
/// both directions end to end, replays, used and expired quotes, and every refusal changing nothing.
/// </summary>
public sealed class ExecutionTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static string Sha256Hex(Guid id) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id.ToString())));

    private static IEnumerable<(string Kind, long Amount)> Legs(JsonElement transaction) =>
        transaction.GetProperty("entries").EnumerateArray()
            .Select(e => (e.GetProperty("accountKind").GetString()!, e.GetProperty("amountMinor").GetInt64()));

    [Fact]
    public async Task a_cash_out_moves_the_credits_to_clearing_then_settles_them_when_the_partner_pays()
    {
        using var client = api.ClientFor(await api.RegisterIdVerified());
        var started = await client.StartConversion("credits_to_btc", 1_000);
        var id = started.GetProperty("id").GetGuid();
        Assert.Equal("pending_payout", started.GetProperty("status").GetString());
        Assert.Equal(PayoutAddress, started.GetProperty("payoutAddress").GetString());
        Assert.Equal(9_804, started.GetProperty("btcSats").GetInt64()); // 1 000 × 10^8 / 10 200 000, rounded
        Assert.Equal(9_000, await client.Available());

        var done = await client.AwaitStatus(id, "completed");
        Assert.Equal(Sha256Hex(id), done.GetProperty("partnerTxId").GetString());
        Assert.Equal(JsonValueKind.String, done.GetProperty("completedAt").ValueKind);
        var transactions = done.GetProperty("transactionIds").EnumerateArray().Select(t => t.GetGuid()).ToList();
        Assert.Equal(2, transactions.Count);
        var start = await api.LedgerTransaction(transactions[0]);
        Assert.Equal("conversion_out_start", start.GetProperty("kind").GetString());
        Assert.Equal([("CONVERSION_CLEARING", 1_000), ("USER_AVAILABLE", -1_000)], Legs(start).Order());
        var settle = await api.LedgerTransaction(transactions[1]);
        Assert.Equal("conversion_out_settle", settle.GetProperty("kind").GetString());
        Assert.Equal([("CONVERSION_CLEARING", -1_000), ("ISSUANCE", 1_000)], Legs(settle).Order());
        Assert.Equal(9_000, await client.Available());

        var feed = await (await client.GetAsync("/api/v1/me/notifications")).Json();
        Assert.Contains(feed.GetProperty("items").EnumerateArray(), n => n.GetProperty("type").GetString() == "conversion_completed");
        Assert.Equal(0, (await api.AssertReconciled()).GetProperty("clearingMinor").GetInt64());
    }

    [Fact]
    public async Task a_top_up_gets_a_deposit_address_for_60_minutes_and_credits_the_quoted_amount_once_confirmed()
    {
        using var client = api.ClientFor(await api.RegisterIdVerified());
        var started = await client.StartConversion("btc_to_credits", 10_000);
        var id = started.GetProperty("id").GetGuid();
        Assert.Equal("awaiting_deposit", started.GetProperty("status").GetString());
        Assert.Equal("tb1q" + Sha256Hex(id)[..38], started.GetProperty("depositAddress").GetString());
        Assert.Equal(TimeSpan.FromMinutes(60),
            started.GetProperty("depositExpiresAt").GetDateTimeOffset() - started.GetProperty("createdAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, started.GetProperty("payoutAddress").ValueKind);
        Assert.Empty(started.GetProperty("transactionIds").EnumerateArray());

        var done = await client.AwaitStatus(id, "completed");
        var credit = await api.LedgerTransaction(done.GetProperty("transactionIds")[0].GetGuid());
        Assert.Equal("conversion_in", credit.GetProperty("kind").GetString());
        Assert.Equal([("ISSUANCE", -10_000), ("USER_AVAILABLE", 10_000)], Legs(credit).Order());
        Assert.Equal(20_000, await client.Available());
        await api.AssertReconciled();
    }

    [Fact]
    public async Task a_replayed_execution_answers_the_original_and_moves_nothing_and_a_used_quote_is_refused()
    {
        using var client = api.ClientFor(await api.RegisterIdVerified());
        var quoteId = await client.QuoteId("credits_to_btc", 500);
        var first = await client.Execute(quoteId, PayoutAddress, "replay-key");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var body = await first.Content.ReadAsStringAsync();
        var replay = await client.Execute(quoteId, PayoutAddress, "replay-key");
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(body, await replay.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, replay.Headers.Location);

        var id = (await first.Json()).GetProperty("id").GetGuid();
        await client.AwaitStatus(id, "completed");
        await AssertRefused(await client.Execute(quoteId, PayoutAddress), HttpStatusCode.Conflict, "quote_used");
        Assert.Equal(9_500, await client.Available());
        var mine = await (await client.GetAsync("/api/v1/me/credits/conversions")).Json();
        Assert.Equal([id], mine.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()));
    }

    [Fact]
    public async Task refused_executions_change_nothing_and_leave_the_guard_free_for_the_next_attempt()
    {
        var user = await api.RegisterIdVerified();
        using var client = api.ClientFor(user);
        var quoteId = await client.QuoteId("credits_to_btc", 700);

        await AssertRefused(await client.Execute(quoteId), HttpStatusCode.BadRequest, "validation_failed");
        await AssertRefused(await client.Execute(quoteId, "1BoatSLRHtKNngkdXEeobR76b53LETtpyT"), HttpStatusCode.BadRequest, "validation_failed");
        await AssertRefused(await client.Execute(quoteId, "tb1q' or 1=1; drop table conversions; --"), HttpStatusCode.BadRequest, "validation_failed");
        await AssertRefused(await client.Execute(quoteId, new string('a', 101)), HttpStatusCode.BadRequest, "validation_failed");
        await AssertRefused(await client.Execute(Guid.CreateVersion7(), PayoutAddress), HttpStatusCode.NotFound, "not_found");
        var noKey = await client.PostAsync(Conversions, JsonContent(new { quoteId, payoutAddress = PayoutAddress }));
        await AssertRefused(noKey, HttpStatusCode.BadRequest, "idempotency_key_missing");
        var unknownMember = new HttpRequestMessage(HttpMethod.Post, Conversions) { Content = JsonContent(new { quoteId, payoutAddress = PayoutAddress, amountMinor = 1 }) };
        unknownMember.Headers.Add("Idempotency-Key", "unknown-member");
        await AssertRefused(await client.SendAsync(unknownMember), HttpStatusCode.BadRequest, "validation_failed");

        using var other = api.ClientFor(await api.RegisterIdVerified());
        await AssertRefused(await other.Execute(quoteId, PayoutAddress), HttpStatusCode.NotFound, "not_found");
        using var emailOnly = api.ClientFor(await api.RegisterVerified());
        await AssertRefused(await emailOnly.Execute(quoteId, PayoutAddress), HttpStatusCode.NotFound, "not_found");

        var topUp = await client.QuoteId("btc_to_credits", 700);
        await AssertRefused(await client.Execute(topUp, PayoutAddress), HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal(10_000, await client.Available());
        Assert.Empty((await (await client.GetAsync("/api/v1/me/credits/conversions")).Json()).GetProperty("items").EnumerateArray());
        // None of the refusals kept the duplicate guard: the same amount executes now.
        var executed = await client.Execute(quoteId, PayoutAddress);
        Assert.Equal(HttpStatusCode.Created, executed.StatusCode);
        await client.AwaitStatus((await executed.Json()).GetProperty("id").GetGuid(), "completed");
        await api.AssertReconciled();
    }

    [Fact]
    public async Task funds_spent_after_the_quote_are_rechecked_at_execution()
    {
        var user = await api.RegisterIdVerified();
        using var client = api.ClientFor(user);
        var quoteId = await client.QuoteId("credits_to_btc", 6_000);
        var friend = await api.RegisterVerified();
        var transfer = new HttpRequestMessage(HttpMethod.Post, "/api/v1/credits/transfers") { Content = JsonContent(new { toUserId = friend.Id, amountMinor = 5_000 }) };
        transfer.Headers.Add("Idempotency-Key", "spend-first");
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(transfer)).StatusCode);

        var refused = await client.Execute(quoteId, PayoutAddress);
        await AssertRefused(refused, HttpStatusCode.UnprocessableEntity, "insufficient_funds");
        Assert.Equal(5_000, await client.Available());
        Assert.Empty((await (await client.GetAsync("/api/v1/me/credits/conversions")).Json()).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task an_expired_quote_is_refused_and_conversions_are_private_to_their_owner()
    {
        using var client = api.ClientFor(await api.RegisterIdVerified());
        var stale = await client.QuoteId("btc_to_credits", 1_000);
        var fresh = await client.QuoteId("btc_to_credits", 2_000);
        var created = await client.Execute(fresh);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var location = created.Headers.Location!.ToString();
        Assert.Equal($"{Conversions}/{(await created.Json()).GetProperty("id").GetGuid()}", location);

        await client.Advance(61);
        await AssertRefused(await client.Execute(stale), HttpStatusCode.Conflict, "quote_expired");

        using var other = api.ClientFor(await api.RegisterIdVerified());
        await AssertRefused(await other.GetAsync(location), HttpStatusCode.NotFound, "not_found");
        Assert.Empty((await (await other.GetAsync("/api/v1/me/credits/conversions")).Json()).GetProperty("items").EnumerateArray());
        await AssertRefused(await client.GetAsync($"{Conversions}/not-a-uuid"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task the_owners_list_pages_newest_first()
    {
        using var client = api.ClientFor(await api.RegisterIdVerified());
        var ids = new List<Guid>();
        foreach (var amount in new[] { 1_000, 1_100, 1_200 })
            ids.Add((await client.StartConversion("btc_to_credits", amount)).GetProperty("id").GetGuid());
        ids.Reverse();

        var seen = new List<Guid>();
        string? before = null;
        do
        {
            var page = await (await client.GetAsync($"/api/v1/me/credits/conversions?limit=2{(before is null ? "" : $"&before={before}")}")).Json();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("id").GetGuid()));
            before = page.GetProperty("nextBefore").GetString();
        }
        while (before is not null);
        Assert.Equal(ids, seen);
        await AssertRefused(await client.GetAsync("/api/v1/me/credits/conversions?before=forged"), HttpStatusCode.BadRequest, "invalid_cursor");
        await AssertRefused(await client.GetAsync("/api/v1/me/credits/conversions?limit=101"), HttpStatusCode.BadRequest, "validation_failed");
    }

    private static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}
