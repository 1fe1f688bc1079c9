using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace NeXChange.Api.Tests.Conversion;

/// <summary>The requests the conversion tests make, and the identity verification that conversion needs.</summary>
public static class ConversionApi
{
    public const string Quotes = "/api/v1/credits/conversions/quotes";
    public const string Status = "/api/v1/credits/conversion-status";
    public const string PriceFeed = "/api/v1/dev/price-feed";

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

    /// <summary>Moves the dev clock and returns the new time.</summary>
    public static async Task<DateTimeOffset> Advance(this HttpClient client, int seconds) =>
        (await (await client.PostAsJsonAsync("/api/v1/dev/clock/advance", new { seconds })).Json()).GetProperty("now").GetDateTimeOffset();

    public static async Task AssertRefused(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, (await response.Json()).GetProperty("code").GetString());
    }
}
