using System.Net;
using System.Text.Json;
using static NeXChange.Api.Tests.Conversion.ConversionApi;

namespace NeXChange.Api.Tests.Conversion;

/// <summary>
/// The circuit breaker over HTTP (SPEC.md 7.2): the status endpoint and the quote refusal for each reason, the sandbox
/// feed moved through <c>PUT /dev/price-feed</c> and time through the dev clock. The sampler keeps polling in real time,
/// which only repeats the price last set, so every state below holds whenever a poll lands.
/// </summary>
public sealed class BreakerTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    /// <summary>A steady price and no running pause: every earlier sample left the 5-minute window.</summary>
    private static async Task Calm(HttpClient client)
    {
        await client.SetPrice(10_000_000);
        await client.Advance(301);
        Assert.Equal("normal", (await client.SetPrice(10_000_000)).GetProperty("status").GetString());
    }

    private static async Task AssertPausedQuote(HttpClient client, long retryAfterSeconds)
    {
        var refused = await client.Quote("credits_to_btc", 1_000);
        await AssertRefused(refused, HttpStatusCode.ServiceUnavailable, "conversion_paused");
        Assert.Equal(retryAfterSeconds, (await refused.Json()).GetProperty("retryAfterSeconds").GetInt64());
        Assert.Equal(retryAfterSeconds, (long)refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds);
    }

    [Fact]
    public async Task a_feed_silent_for_over_120_seconds_pauses_quotes_with_retry_after_30()
    {
        using var client = api.ClientFor(await api.RegisterIdVerified());
        await Calm(client);
        var observedAt = await client.Advance(1);
        await client.SetPrice(10_000_000, observedAt);
        await client.Advance(121);

        var status = await client.StatusOf();
        Assert.Equal(("paused", "stale_feed", 30L), (status.GetProperty("status").GetString(), status.GetProperty("reason").GetString(),
            status.GetProperty("retryAfterSeconds").GetInt64()));
        Assert.Equal(observedAt, status.GetProperty("observedAt").GetDateTimeOffset());
        Assert.Equal(10_000_000, status.GetProperty("midMinorPerBtc").GetInt64());
        await AssertPausedQuote(client, 30);
    }

    [Fact]
    public async Task a_feed_silent_for_over_30_seconds_is_degraded_and_still_quotes()
    {
        using var client = api.ClientFor(await api.RegisterIdVerified());
        await Calm(client);
        await client.SetPrice(10_000_000, await client.Advance(1));
        await client.Advance(31);

        var status = await client.StatusOf();
        Assert.Equal(("degraded", "stale_feed"), (status.GetProperty("status").GetString(), status.GetProperty("reason").GetString()));
        Assert.Equal(JsonValueKind.Null, status.GetProperty("retryAfterSeconds").ValueKind);
        Assert.Equal(HttpStatusCode.Created, (await client.Quote("credits_to_btc", 1_000)).StatusCode);
    }

    [Fact]
    public async Task a_swing_over_5_percent_pauses_quotes_for_5_minutes_then_quotes_at_the_new_price()
    {
        using var client = api.ClientFor(await api.RegisterIdVerified());
        await Calm(client);
        var tripped = await client.SetPrice(10_600_000);
        Assert.Equal(("paused", "volatility"), (tripped.GetProperty("status").GetString(), tripped.GetProperty("reason").GetString()));
        Assert.InRange(tripped.GetProperty("retryAfterSeconds").GetInt64(), 1, 300);

        // The real clock runs on between calls, so the refusal names the seconds left as the status computed them then.
        var status = await client.StatusOf();
        Assert.Equal("volatility", status.GetProperty("reason").GetString());
        var refused = await client.Quote("btc_to_credits", 1_000);
        await AssertRefused(refused, HttpStatusCode.ServiceUnavailable, "conversion_paused");
        var retryAfter = (await refused.Json()).GetProperty("retryAfterSeconds").GetInt64();
        Assert.InRange(retryAfter, 1, 300);
        Assert.Equal(retryAfter, (long)refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds);

        await client.Advance(301);
        Assert.Equal("normal", (await client.SetPrice(10_600_000)).GetProperty("status").GetString());
        var quote = await client.Quote("btc_to_credits", 1_000);
        Assert.Equal(HttpStatusCode.Created, quote.StatusCode);
        Assert.Equal(10_600_000, (await quote.Json()).GetProperty("midMinorPerBtc").GetInt64());
    }

    [Fact]
    public async Task the_dev_price_feed_refuses_nonsense()
    {
        using var client = api.NewClient();
        foreach (var body in new[] { "{}", """{"midMinorPerBtc":0}""", """{"midMinorPerBtc":1.5}""", """{"midMinorPerBtc":10000000,"extra":1}""",
                     """{"midMinorPerBtc":10000000,"observedAt":"2999-01-01T00:00:00Z"}""" })
        {
            var refused = await client.PutAsync(PriceFeed, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            await AssertRefused(refused, HttpStatusCode.BadRequest, "validation_failed");
        }
    }
}

/// <summary>The operator's maintenance switch is on from the start.</summary>
public sealed class MaintenanceFixture : ApiFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Conversion:Paused"] = "true" };
}

public sealed class MaintenanceTests(MaintenanceFixture api) : IClassFixture<MaintenanceFixture>
{
    [Fact]
    public async Task the_maintenance_switch_pauses_quotes_with_retry_after_300()
    {
        using var client = api.ClientFor(await api.RegisterIdVerified());
        var status = await client.StatusOf();
        Assert.Equal(("paused", "maintenance", 300L), (status.GetProperty("status").GetString(), status.GetProperty("reason").GetString(),
            status.GetProperty("retryAfterSeconds").GetInt64()));
        Assert.Equal(10_000_000, status.GetProperty("midMinorPerBtc").GetInt64());
        var refused = await client.Quote("btc_to_credits", 1_000);
        await AssertRefused(refused, HttpStatusCode.ServiceUnavailable, "conversion_paused");
        Assert.Equal(300, (await refused.Json()).GetProperty("retryAfterSeconds").GetInt64());
        Assert.Equal(TimeSpan.FromSeconds(300), refused.Headers.RetryAfter!.Delta);
    }
}
