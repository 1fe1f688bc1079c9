using System.Net;
using System.Text.Json;
using NeXChange.TestSupport;
using StackExchange.Redis;
using static NeXChange.Api.Tests.Conversion.ConversionApi;

namespace NeXChange.Api.Tests.Conversion;

/// <summary>
/// A partner that never answers on its own: deposits are never confirmed by the sandbox and payout requests time out
/// (retried at once here, RetryBaseSeconds 0). The tests play the partner with their own signed webhooks. The previous
/// secret is set, as during a rotation.
/// </summary>
public sealed class SilentPartnerFixture : ApiFixture
{
    /// <summary>The secret being rotated out, generated per run like the current one.</summary>
    public string PreviousSecret { get; } = TestSecrets.New();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Custody:DepositBehaviour"] = "Never",
        ["Custody:PayoutUnreachable"] = "true",
        ["Custody:RetryBaseSeconds"] = "0",
        ["Custody:PreviousWebhookSecret"] = PreviousSecret,
    };
}

/// <summary>SPEC.md 7.4: signatures, repeated, out-of-order, contradicting and forged events, and SPEC.md 7.3's guard.</summary>
public sealed class WebhookTests(SilentPartnerFixture api) : IClassFixture<SilentPartnerFixture>, IAsyncLifetime
{
    private ConnectionMultiplexer redis = null!;

    public async Task InitializeAsync() => redis = await ConnectionMultiplexer.ConnectAsync(TestEnvironment.Redis);

    public async Task DisposeAsync() => await redis.DisposeAsync();

    private async Task<long> AuditCount(string action, Guid? entityId = null)
    {
        using var ops = api.ClientFor(await api.Admin());
        var page = await (await ops.GetAsync($"/api/v1/admin/audit?action={action}&limit=100{(entityId is null ? "" : $"&entityId={entityId}")}")).Json();
        return page.GetProperty("items").GetArrayLength();
    }

    private async Task AssertNoContent(HttpClient client, string body, string? secret = null)
    {
        var response = await client.PostWebhook(body, secret ?? api.WebhookSecret);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    [Fact]
    public async Task a_confirmed_deposit_credits_once_and_repeats_out_of_order_events_and_contradictions_change_nothing()
    {
        using var client = api.ClientFor(await api.RegisterIdVerified());
        var conversion = await client.StartConversion("btc_to_credits", 5_000);
        var id = conversion.GetProperty("id").GetGuid();
        var sats = conversion.GetProperty("btcSats").GetInt64();
        using var partner = api.NewClient();

        await AssertNoContent(partner, Event("e-detected", "deposit_detected", id));
        Assert.Equal("awaiting_deposit", (await client.ConversionOf(id)).GetProperty("status").GetString());
        await AssertNoContent(partner, Event("e-confirmed", "deposit_confirmed", id, btcSats: sats));
        Assert.Equal("completed", (await client.ConversionOf(id)).GetProperty("status").GetString());
        Assert.Equal(15_000, await client.Available());

        // The same event again, the same effect under a new event id, a late informational event: nothing moves.
        await AssertNoContent(partner, Event("e-confirmed", "deposit_confirmed", id, btcSats: sats));
        await AssertNoContent(partner, Event("e-confirmed-again", "deposit_confirmed", id, btcSats: sats + 5));
        await AssertNoContent(partner, Event("e-detected-late", "deposit_detected", id));
        Assert.Equal(15_000, await client.Available());
        Assert.Single((await client.ConversionOf(id)).GetProperty("transactionIds").EnumerateArray());
        Assert.Equal(0, await AuditCount("CONVERSION_CONFLICT", id));

        // A failure after completion contradicts it: ignored, and the operator is told.
        await AssertNoContent(partner, Event("e-failed-late", "deposit_failed", id, reason: "expired"));
        await AssertNoContent(partner, Event("e-payout-for-top-up", "payout_completed", id));
        var after = await client.ConversionOf(id);
        Assert.Equal("completed", after.GetProperty("status").GetString());
        Assert.Equal(15_000, await client.Available());
        Assert.Equal(2, await AuditCount("CONVERSION_CONFLICT", id));
        await api.AssertReconciled();
    }

    [Fact]
    public async Task forged_and_unsigned_webhooks_are_refused_audited_and_change_nothing_while_the_previous_secret_still_works()
    {
        using var client = api.ClientFor(await api.RegisterIdVerified());
        var conversion = await client.StartConversion("btc_to_credits", 4_000);
        var id = conversion.GetProperty("id").GetGuid();
        var confirmed = Event("forge-1", "deposit_confirmed", id, btcSats: conversion.GetProperty("btcSats").GetInt64());
        using var partner = api.NewClient();
        var rejectedBefore = await AuditCount("WEBHOOK_REJECTED");

        foreach (var attempt in new[]
                 {
                     await partner.PostWebhook(confirmed, secret: TestSecrets.New()),
                     await partner.PostWebhook(confirmed, secret: null),
                     await partner.PostWebhook(confirmed, secret: null, signature: "sha256=" + new string('0', 64)),
                     await partner.PostWebhook(confirmed, secret: null, signature: "sha256=" + new string('Z', 64)),
                     await partner.PostWebhook(confirmed, secret: null, signature: CustodySignatureOf(api.WebhookSecret, confirmed).ToUpperInvariant()),
                     await partner.PostWebhook(confirmed + " ", secret: null, signature: CustodySignatureOf(api.WebhookSecret, confirmed)),
                 })
        {
            await AssertRefused(attempt, HttpStatusCode.Unauthorized, "invalid_signature");
        }
        Assert.Equal("awaiting_deposit", (await client.ConversionOf(id)).GetProperty("status").GetString());
        Assert.Equal(10_000, await client.Available());
        Assert.Equal(rejectedBefore + 6, await AuditCount("WEBHOOK_REJECTED"));

        // Signed with the secret being rotated out: accepted.
        await AssertNoContent(partner, confirmed, api.PreviousSecret);
        Assert.Equal("completed", (await client.ConversionOf(id)).GetProperty("status").GetString());
        Assert.Equal(14_000, await client.Available());
    }

    [Fact]
    public async Task malformed_and_unknown_events_are_refused_after_the_signature_check()
    {
        using var partner = api.NewClient();
        await AssertRefused(await partner.PostWebhook(Event("x-1", "deposit_confirmed", Guid.CreateVersion7(), btcSats: 5), api.WebhookSecret),
            HttpStatusCode.NotFound, "not_found");
        foreach (var body in new[]
                 {
                     "{",
                     "[]",
                     """{"eventId":"x-2","type":"deposit_confirmed","conversionId":"not-a-uuid","btcSats":1,"occurredAt":"2026-12-03T10:00:00.000Z"}""",
                     """{"eventId":"x-3","type":"refund_everything","conversionId":"0193a1b2-0000-7000-8000-000000000001","occurredAt":"2026-12-03T10:00:00.000Z"}""",
                     """{"eventId":"x-4","type":"deposit_confirmed","conversionId":"0193a1b2-0000-7000-8000-000000000001","occurredAt":"2026-12-03T10:00:00.000Z"}""",
                     """{"eventId":"x-5","type":"deposit_confirmed","conversionId":"0193a1b2-0000-7000-8000-000000000001","btcSats":1.5,"occurredAt":"2026-12-03T10:00:00.000Z"}""",
                     """{"eventId":"x-6","type":"payout_completed","conversionId":"0193a1b2-0000-7000-8000-000000000001","occurredAt":"2026-12-03T10:00:00.000Z","admin":true}""",
                     JsonSerializer.Serialize(new { eventId = new string('e', 101), type = "payout_completed", conversionId = Guid.CreateVersion7(), occurredAt = "2026-12-03T10:00:00.000Z" }),
                     JsonSerializer.Serialize(new { eventId = "x-7", type = "payout_completed", conversionId = Guid.CreateVersion7() }),
                 })
        {
            await AssertRefused(await partner.PostWebhook(body, api.WebhookSecret), HttpStatusCode.BadRequest, "validation_failed");
        }
        var huge = await partner.PostWebhook($"{{\"eventId\":\"{new string('h', 65 * 1024)}\"}}", api.WebhookSecret);
        await AssertRefused(huge, HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        var text = new HttpRequestMessage(HttpMethod.Post, Webhook) { Content = new StringContent("eventId=1") };
        await AssertRefused(await partner.SendAsync(text), HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task an_underpaid_deposit_fails_without_credit_and_an_expired_one_still_completes_when_the_btc_arrives_late()
    {
        using var client = api.ClientFor(await api.RegisterIdVerified());
        using var partner = api.NewClient();
        var underpaid = await client.StartConversion("btc_to_credits", 3_000);
        var underpaidId = underpaid.GetProperty("id").GetGuid();
        await AssertNoContent(partner, Event("u-1", "deposit_confirmed", underpaidId, btcSats: underpaid.GetProperty("btcSats").GetInt64() - 1));
        var failed = await client.ConversionOf(underpaidId);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("underpaid", failed.GetProperty("failureReason").GetString());
        Assert.Empty(failed.GetProperty("transactionIds").EnumerateArray());

        var late = await client.StartConversion("btc_to_credits", 3_100);
        var lateId = late.GetProperty("id").GetGuid();
        await client.Advance(60 * 60 + 1);
        await client.SetPrice(10_000_000); // a fresh sample at the new time, so later tests' quotes see a live feed
        Assert.Equal("expired", (await client.ConversionOf(lateId)).GetProperty("status").GetString());
        await AssertNoContent(partner, Event("l-1", "deposit_confirmed", lateId, btcSats: late.GetProperty("btcSats").GetInt64()));
        Assert.Equal("completed", (await client.ConversionOf(lateId)).GetProperty("status").GetString());
        Assert.Equal(13_100, await client.Available());
        var feed = await (await client.GetAsync("/api/v1/me/notifications")).Json();
        var types = feed.GetProperty("items").EnumerateArray().Select(n => n.GetProperty("type").GetString()).ToList();
        Assert.Contains("conversion_failed", types);
        Assert.Contains("conversion_completed", types);
        await api.AssertReconciled();
    }

    [Fact]
    public async Task a_partner_that_never_answers_leaves_the_cash_out_pending_in_clearing_until_it_reports()
    {
        using var client = api.ClientFor(await api.RegisterIdVerified());
        var first = (await client.StartConversion("credits_to_btc", 2_000)).GetProperty("id").GetGuid();
        var second = (await client.StartConversion("credits_to_btc", 2_500)).GetProperty("id").GetGuid();
        // Four attempts (the request and three retries), then nothing more: the credits stay in clearing.
        await AwaitAttempts(first, 4);
        await AwaitAttempts(second, 4);
        Assert.Equal("pending_payout", (await client.ConversionOf(first)).GetProperty("status").GetString());
        Assert.Equal(5_500, await client.Available());
        var report = await api.AssertReconciled();
        Assert.True(report.GetProperty("clearingMinor").GetInt64() >= 4_500);

        // The partner reports after all: one payout completed, the other failed and refunded.
        using var partner = api.NewClient();
        await AssertNoContent(partner, Event("p-1", "payout_completed", first));
        await AssertNoContent(partner, Event("p-2", "payout_failed", second, reason: "address_rejected"));
        await AssertNoContent(partner, Event("p-3", "payout_completed", second));
        Assert.Equal("completed", (await client.ConversionOf(first)).GetProperty("status").GetString());
        var refunded = await client.ConversionOf(second);
        Assert.Equal("failed", refunded.GetProperty("status").GetString());
        Assert.Equal("address_rejected", refunded.GetProperty("failureReason").GetString());
        Assert.Equal(8_000, await client.Available());
        Assert.Equal(1, await AuditCount("CONVERSION_CONFLICT", second));
        await api.AssertReconciled();
    }

    [Fact]
    public async Task the_duplicate_guard_refuses_the_same_amount_while_a_conversion_runs_and_frees_it_when_it_ends()
    {
        var user = await api.RegisterIdVerified();
        using var client = api.ClientFor(user);
        var running = (await client.StartConversion("btc_to_credits", 2_222)).GetProperty("id").GetGuid();
        var again = await client.QuoteId("btc_to_credits", 2_222);
        await AssertRefused(await client.Execute(again), HttpStatusCode.Conflict, "duplicate_request");
        await client.StartConversion("btc_to_credits", 2_223); // another amount is another guard
        var guard = $"conv-guard:{user.Id}:btc_to_credits:2222";
        var lifetime = await redis.GetDatabase().KeyTimeToLiveAsync(guard);
        Assert.InRange(lifetime!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(300));

        using var partner = api.NewClient();
        await AssertNoContent(partner, Event("g-1", "deposit_failed", running, reason: "expired"));
        Assert.False(await redis.GetDatabase().KeyExistsAsync(guard));
        var executed = await client.Execute(again);
        Assert.Equal(HttpStatusCode.Created, executed.StatusCode);
    }

    private Task<int> AwaitAttempts(Guid conversionId, int attempts) =>
        Polling.UntilAsync(() => Sql.ScalarAsync<int>(api.Postgres, "select payout_attempts from conversions where id = $1", conversionId),
            n => n >= attempts, $"conversion {conversionId} reaching {attempts} payout attempts");

    private static string CustodySignatureOf(string secret, string body) =>
        NeXChange.Conversion.CustodySignature.Sign(secret, System.Text.Encoding.UTF8.GetBytes(body));
}
