using System.Net;
using static NeXChange.Api.Tests.Conversion.ConversionApi;

namespace NeXChange.Api.Tests.Conversion;

/// <summary>The sandbox failing every payout (FailurePercent 100), underpaying every deposit, and sending each webhook twice.</summary>
public sealed class FailingPartnerFixture : ApiFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Custody:FailurePercent"] = "100",
        ["Custody:DepositBehaviour"] = "Underpay",
        ["Custody:DuplicateWebhooks"] = "true",
    };
}

/// <summary>Failed payouts and deposits (SPEC.md 7.4, 7.5) through the sandbox's own webhooks, each delivered twice.</summary>
public sealed class FailingPartnerTests(FailingPartnerFixture api) : IClassFixture<FailingPartnerFixture>
{
    [Fact]
    public async Task a_failed_payout_returns_the_credits_once_even_when_every_webhook_comes_twice()
    {
        using var client = api.ClientFor(await api.RegisterIdVerified());
        var id = (await client.StartConversion("credits_to_btc", 3_000)).GetProperty("id").GetGuid();
        var failed = await client.AwaitStatus(id, "failed");
        Assert.Equal("sandbox_failure", failed.GetProperty("failureReason").GetString());
        var transactions = failed.GetProperty("transactionIds").EnumerateArray().Select(t => t.GetGuid()).ToList();
        Assert.Equal(["conversion_out_start", "conversion_out_fail"],
            await Task.WhenAll(transactions.Select(async t => (await api.LedgerTransaction(t)).GetProperty("kind").GetString()!)));
        Assert.Equal(10_000, await client.Available());
        var feed = await (await client.GetAsync("/api/v1/me/notifications")).Json();
        Assert.Single(feed.GetProperty("items").EnumerateArray(), n => n.GetProperty("type").GetString() == "conversion_failed");
        Assert.Equal(0, (await api.AssertReconciled()).GetProperty("clearingMinor").GetInt64());
    }

    [Fact]
    public async Task an_underpaid_deposit_fails_and_credits_nothing()
    {
        using var client = api.ClientFor(await api.RegisterIdVerified());
        var id = (await client.StartConversion("btc_to_credits", 8_000)).GetProperty("id").GetGuid();
        var failed = await client.AwaitStatus(id, "failed");
        Assert.Equal("underpaid", failed.GetProperty("failureReason").GetString());
        Assert.Empty(failed.GetProperty("transactionIds").EnumerateArray());
        Assert.Equal(10_000, await client.Available());
        await api.AssertReconciled();
    }

    [Fact]
    public async Task a_paused_breaker_refuses_execution_with_retry_after_and_changes_nothing()
    {
        using var client = api.ClientFor(await api.RegisterIdVerified());
        var quoteId = await client.QuoteId("btc_to_credits", 1_500);
        Assert.Equal("paused", (await client.SetPrice(10_600_000)).GetProperty("status").GetString()); // a 6 % move
        var paused = await client.Execute(quoteId);
        await AssertRefused(paused, HttpStatusCode.ServiceUnavailable, "conversion_paused");
        Assert.InRange((await paused.Json()).GetProperty("retryAfterSeconds").GetInt64(), 1, 300);
        Assert.Empty((await (await client.GetAsync("/api/v1/me/credits/conversions")).Json()).GetProperty("items").EnumerateArray());

        // Once the pause is over, the same amount executes: the refused request left no duplicate guard behind.
        await client.Advance(301);
        Assert.Equal("normal", (await client.SetPrice(10_000_000)).GetProperty("status").GetString());
        await client.StartConversion("btc_to_credits", 1_500);
    }
}
