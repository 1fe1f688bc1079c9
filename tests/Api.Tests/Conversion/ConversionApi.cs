using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using NeXChange.Conversion;

namespace NeXChange.Api.Tests.Conversion;

/// <summary>The requests the conversion tests make, and the identity verification that conversion needs.</summary>
public static class ConversionApi
{
    public const string Quotes = "/api/v1/credits/conversions/quotes";
    public const string Status = "/api/v1/credits/conversion-status";
    public const string PriceFeed = "/api/v1/dev/price-feed";
    public const string Conversions = "/api/v1/credits/conversions";
    public const string Webhook = "/api/v1/webhooks/custody";

    /// <summary>A payout address the sandbox partner accepts (<c>^(bc1|tb1)[a-z0-9]{20,80}$</c>).</summary>
    public const string PayoutAddress = "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx";

    /// <summary>An email-verified user whose identity document a moderator approved (SPEC.md 3.8).</summary>
    public static async Task<TestUser> RegisterIdVerified(this ApiFixture api)
    {
        var user = await api.RegisterVerified();
        using var client = api.ClientFor(user);
        var form = new MultipartFormDataContent { { new ByteArrayContent(TestImages.Png()), "file", "id.png" }, { new StringContent("passport"), "documentType" } };
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/api/v1/me/verification", form)).StatusCode);
        using var moderator = api.ClientFor(await api.Admin());
        Assert.Equal(HttpStatusCode.OK, (await moderator.PostAsJsonAsync($"/api/v1/admin/verifications/{user.Id}", new { decision = "approve" })).StatusCode);
        return user;
    }

    public static Task<HttpResponseMessage> Quote(this HttpClient client, string direction, long amountMinor) =>
        client.PostAsJsonAsync(Quotes, new { direction, amountMinor });

    public static async Task<JsonElement> StatusOf(this HttpClient client)
    {
        var response = await client.GetAsync(Status);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Json();
    }

    /// <summary>Sets the sandbox price (and a fixed observation time, if given) and returns the breaker after sampling it.</summary>
    public static async Task<JsonElement> SetPrice(this HttpClient client, long midMinorPerBtc, DateTimeOffset? observedAt = null)
    {
        var response = await client.PutAsJsonAsync(PriceFeed, observedAt is null ? new { midMinorPerBtc } : (object)new { midMinorPerBtc, observedAt });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Json();
    }

    /// <summary>Quotes <paramref name="amountMinor"/> and returns the quote id.</summary>
    public static async Task<Guid> QuoteId(this HttpClient client, string direction, long amountMinor)
    {
        var response = await client.Quote(direction, amountMinor);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Json()).GetProperty("quoteId").GetGuid();
    }

    /// <summary><c>POST /credits/conversions</c> with an Idempotency-Key (a fresh one unless given).</summary>
    public static Task<HttpResponseMessage> Execute(this HttpClient client, Guid quoteId, string? payoutAddress = null, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Conversions)
        {
            Content = JsonContent.Create(payoutAddress is null ? new { quoteId } : (object)new { quoteId, payoutAddress }),
        };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        return client.SendAsync(request);
    }

    /// <summary>Quotes and executes (a cash-out to <see cref="PayoutAddress"/>); returns the conversion as answered (201).</summary>
    public static async Task<JsonElement> StartConversion(this HttpClient client, string direction, long amountMinor)
    {
        var quoteId = await client.QuoteId(direction, amountMinor);
        var response = await client.Execute(quoteId, direction == ConversionDirections.CreditsToBtc ? PayoutAddress : null);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return await response.Json();
    }

    public static async Task<JsonElement> ConversionOf(this HttpClient client, Guid conversionId)
    {
        var response = await client.GetAsync($"{Conversions}/{conversionId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Json();
    }

    /// <summary>
    /// Reads the conversion until it has <paramref name="status"/>: the sandbox partner's webhooks arrive on their own.
    /// The bound only limits how long a broken build waits; nothing is asserted about time.
    /// </summary>
    public static Task<JsonElement> AwaitStatus(this HttpClient client, Guid conversionId, string status) =>
        NeXChange.TestSupport.Polling.UntilAsync(() => client.ConversionOf(conversionId), c => c.GetProperty("status").GetString() == status,
            $"conversion {conversionId} reaching {status}");

    /// <summary>Posts a partner event signed with <paramref name="secret"/> (unsigned when null), as the partner's raw bytes.</summary>
    public static Task<HttpResponseMessage> PostWebhook(this HttpClient client, string body, string? secret, string? signature = null)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, Webhook) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var header = signature ?? (secret is null ? null : CustodySignature.Sign(secret, bytes));
        if (header is not null) request.Headers.TryAddWithoutValidation(CustodySignature.Header, header);
        return client.SendAsync(request);
    }

    /// <summary>A webhook body of SPEC.md 7.4.</summary>
    public static string Event(string eventId, string type, Guid conversionId, long? btcSats = null, string? reason = null) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["eventId"] = eventId,
            ["type"] = type,
            ["conversionId"] = conversionId,
            ["btcSats"] = btcSats,
            ["partnerTxId"] = "partner-tx-1",
            ["reason"] = reason,
            ["occurredAt"] = "2026-12-03T10:00:00.000Z",
        }.Where(p => p.Value is not null).ToDictionary());

    public static async Task<long> Available(this HttpClient client) =>
        (await (await client.GetAsync("/api/v1/me/credits")).Json()).GetProperty("availableMinor").GetInt64();

    /// <summary>The admin's reconciliation report, asserted ok.</summary>
    public static async Task<JsonElement> AssertReconciled(this ApiFixture api)
    {
        using var ops = api.ClientFor(await api.Admin());
        var report = await (await ops.GetAsync("/api/v1/admin/ledger/reconciliation")).Json();
        Assert.True(report.GetProperty("ok").GetBoolean(), report.GetRawText());
        return report;
    }

    /// <summary>A ledger transaction as the admin sees it: kind and legs.</summary>
    public static async Task<JsonElement> LedgerTransaction(this ApiFixture api, Guid transactionId)
    {
        using var ops = api.ClientFor(await api.Admin());
        var response = await ops.GetAsync($"/api/v1/admin/ledger/transactions/{transactionId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Json();
    }

    /// <summary>Moves the dev clock and returns the new time.</summary>
    public static async Task<DateTimeOffset> Advance(this HttpClient client, int seconds) =>
        (await (await client.PostAsJsonAsync("/api/v1/dev/clock/advance", new { seconds })).Json()).GetProperty("now").GetDateTimeOffset();

    public static async Task AssertRefused(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, (await response.Json()).GetProperty("code").GetString());
    }
}
