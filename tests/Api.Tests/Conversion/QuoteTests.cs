using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static NeXChange.Api.Tests.Conversion.ConversionApi;

namespace NeXChange.Api.Tests.Conversion;

/// <summary>One outflow a day, so a single transfer uses up the daily allowance a cash-out quote checks.</summary>
public sealed class QuoteFixture : ApiFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Limits:DailyOutflowCount"] = "1" };
}

/// <summary>Quotes (SPEC.md 7.1, 8.5) at the sandbox feed's fixed 10 000 000 minor credits per BTC.</summary>
public sealed class QuoteTests(QuoteFixture api) : IClassFixture<QuoteFixture>
{
    [Fact]
    public async Task quotes_are_refused_without_a_verified_identity_or_email()
    {
        using var emailOnly = api.ClientFor(await api.RegisterVerified());
        await AssertRefused(await emailOnly.Quote("btc_to_credits", 10_000), HttpStatusCode.Forbidden, "id_verification_required");
        using var unverified = api.ClientFor(await api.Register());
        await AssertRefused(await unverified.Quote("credits_to_btc", 1_000), HttpStatusCode.Forbidden, "id_verification_required");
        using var anonymous = api.NewClient();
        await AssertRefused(await anonymous.Quote("credits_to_btc", 1_000), HttpStatusCode.Unauthorized, "unauthenticated");
    }

    [Theory]
    [InlineData("credits_to_btc", 10_200_000, 98_039)]
    [InlineData("btc_to_credits", 9_800_000, 102_041)]
    public async Task the_spec_vectors_are_quoted_for_60_seconds_and_read_back_by_their_owner_only(string direction, long rate, long sats)
    {
        using var client = api.ClientFor(await api.RegisterIdVerified());
        var response = await client.Quote(direction, 10_000);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var quote = await response.Json();
        Assert.Equal(direction, quote.GetProperty("direction").GetString());
        Assert.Equal(10_000, quote.GetProperty("amountMinor").GetInt64());
        Assert.Equal(sats, quote.GetProperty("btcSats").GetInt64());
        Assert.Equal(10_000_000, quote.GetProperty("midMinorPerBtc").GetInt64());
        Assert.Equal(rate, quote.GetProperty("rateMinorPerBtc").GetInt64());
        Assert.Equal(200, quote.GetProperty("spreadBps").GetInt32());
        Assert.Equal(TimeSpan.FromSeconds(60), quote.GetProperty("expiresAt").GetDateTimeOffset() - quote.GetProperty("createdAt").GetDateTimeOffset());

        var location = response.Headers.Location!.ToString();
        Assert.Equal($"{Quotes}/{quote.GetProperty("quoteId").GetGuid()}", location);
        Assert.Equal(quote.GetRawText(), (await (await client.GetAsync(location)).Json()).GetRawText());
        using var other = api.ClientFor(await api.RegisterIdVerified());
        await AssertRefused(await other.GetAsync(location), HttpStatusCode.NotFound, "not_found");
        await AssertRefused(await client.GetAsync($"{Quotes}/not-a-uuid"), HttpStatusCode.NotFound, "not_found");
        await AssertRefused(await client.GetAsync($"{Quotes}/{Guid.CreateVersion7()}"), HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task the_amount_is_at_least_100_and_at_most_the_single_movement_maximum_in_both_directions()
    {
        using var client = api.ClientFor(await api.RegisterIdVerified());
        foreach (var direction in new[] { "credits_to_btc", "btc_to_credits" })
        {
            var small = await client.Quote(direction, 99);
            await AssertRefused(small, HttpStatusCode.BadRequest, "validation_failed");
            Assert.Equal("amountMinor", (await small.Json()).GetProperty("errors")[0].GetProperty("field").GetString());
            var large = await client.Quote(direction, 1_000_001);
            await AssertRefused(large, HttpStatusCode.UnprocessableEntity, "limit_exceeded");
            Assert.Equal("single_movement_max", (await large.Json()).GetProperty("limit").GetString());
            Assert.Equal(HttpStatusCode.Created, (await client.Quote(direction, 100)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Created, (await client.Quote("btc_to_credits", 1_000_000)).StatusCode);
    }

    [Fact]
    public async Task a_malformed_quote_request_is_refused()
    {
        using var client = api.ClientFor(await api.RegisterIdVerified());
        await AssertRefused(await client.Quote("credits_to_eth", 1_000), HttpStatusCode.BadRequest, "validation_failed");
        foreach (var body in new[] { "{}", """{"direction":"btc_to_credits"}""", """{"amountMinor":1000}""", """{"direction":"btc_to_credits","amountMinor":1000.5}""",
                     """{"direction":"btc_to_credits","amountMinor":1000,"extra":1}""" })
            await AssertRefused(await client.PostAsync(Quotes, new StringContent(body, System.Text.Encoding.UTF8, "application/json")),
                HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task a_cash_out_quote_needs_the_funds_and_the_daily_allowance_and_moves_nothing()
    {
        var user = await api.RegisterIdVerified();
        using var client = api.ClientFor(user);
        var shortfall = await client.Quote("credits_to_btc", 10_001);
        await AssertRefused(shortfall, HttpStatusCode.UnprocessableEntity, "insufficient_funds");
        var problem = await shortfall.Json();
        Assert.Equal((10_000L, 10_001L), (problem.GetProperty("availableMinor").GetInt64(), problem.GetProperty("requiredMinor").GetInt64()));
        // A top-up needs no credits.
        Assert.Equal(HttpStatusCode.Created, (await client.Quote("btc_to_credits", 10_001)).StatusCode);

        var recipient = await api.RegisterVerified();
        var transfer = new HttpRequestMessage(HttpMethod.Post, "/api/v1/credits/transfers") { Content = JsonContent.Create(new { toUserId = recipient.Id, amountMinor = 100 }) };
        transfer.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(transfer)).StatusCode);
        var used = await client.Quote("credits_to_btc", 100);
        await AssertRefused(used, HttpStatusCode.UnprocessableEntity, "limit_exceeded");
        Assert.Equal("daily_outflow_count", (await used.Json()).GetProperty("limit").GetString());

        var balance = await (await client.GetAsync("/api/v1/me/credits")).Json();
        Assert.Equal((9_900L, 1), (balance.GetProperty("availableMinor").GetInt64(), balance.GetProperty("dailyTransactionsUsed").GetInt32()));
    }

    [Fact]
    public async Task any_signed_in_user_sees_a_normal_breaker_at_the_sandbox_price()
    {
        using var client = api.ClientFor(await api.Register());
        var status = await client.StatusOf();
        Assert.Equal("normal", status.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, status.GetProperty("reason").ValueKind);
        Assert.Equal(10_000_000, status.GetProperty("midMinorPerBtc").GetInt64());
        Assert.Equal(JsonValueKind.String, status.GetProperty("observedAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, status.GetProperty("retryAfterSeconds").ValueKind);
        using var anonymous = api.NewClient();
        await AssertRefused(await anonymous.GetAsync(Status), HttpStatusCode.Unauthorized, "unauthenticated");
    }
}
