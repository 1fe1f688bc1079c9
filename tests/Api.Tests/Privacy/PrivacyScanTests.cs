using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Xunit.Sdk;

namespace NeXChange.Api.Tests.Privacy;

/// <summary>The privacy scan every API test runs behind (<see cref="PrivacyScanHandler"/>) can fail, and passes what it should.</summary>
public sealed class PrivacyScanTests
{
    private static readonly Guid Alice = Guid.CreateVersion7();
    private static readonly Guid Bob = Guid.CreateVersion7();

    private static PersonalDataRegistry Registry()
    {
        var registry = new PersonalDataRegistry();
        foreach (var (id, email, name, phone, birth, zip) in new[]
                 {
                     (Alice, "alice-scan@example.org", "Tess Alicesurname", "+12025550101", "1980-02-03", "10001"),
                     (Bob, "bob-scan@example.org", "Tess Bobsurname", "+12025550102", "1991-05-06", "60601"),
                 })
        {
            using var me = JsonDocument.Parse(JsonSerializer.Serialize(new { id, email, fullName = name, phone, dateOfBirth = birth, zipCode = zip }));
            registry.LearnMe(me.RootElement);
        }
        return registry;
    }

    /// <summary>Sends one request as <paramref name="caller"/> (null: anonymous) through the scan to a server that answers <paramref name="json"/>.</summary>
    private static async Task Answer(Guid? caller, string json, string path = "/api/v1/items", string mediaType = "application/json")
    {
        using var client = new HttpClient(new PrivacyScanHandler(Registry(), new CannedAnswer(json, mediaType))) { BaseAddress = new Uri("http://127.0.0.1") };
        if (caller is { } id) client.DefaultRequestHeaders.Authorization = Bearer(id);
        using var response = await client.GetAsync(path);
    }

    [Theory]
    [InlineData("""{"seller":{"email":"alice-scan@example.org"}}""")]
    [InlineData("""{"items":[{"note":"write to ALICE-SCAN@example.org."}]}""")]
    [InlineData("""{"name":"Tess Alicesurname"}""")]
    [InlineData("""{"phone":"+12025550101"}""")]
    [InlineData("""{"dateOfBirth":"1980-02-03"}""")]
    [InlineData("""{"zip":"10001"}""")]
    [InlineData("""{"where":{"lat":40.75,"lng":-74.00}}""")]
    public async Task another_users_data_fails_the_request(string json) =>
        await Assert.ThrowsAsync<XunitException>(() => Answer(Bob, json));

    [Fact]
    public async Task an_anonymous_caller_is_shown_nobodys_data() =>
        await Assert.ThrowsAsync<XunitException>(() => Answer(null, """{"email":"bob-scan@example.org"}"""));

    [Fact]
    public async Task a_text_body_with_another_users_email_fails_the_request() =>
        await Assert.ThrowsAsync<XunitException>(() => Answer(Bob, "<svg><text>alice-scan@example.org</text></svg>", mediaType: "image/svg+xml"));

    [Theory]
    [InlineData("""{"email":"bob-scan@example.org","fullName":"Tess Bobsurname","phone":"+12025550102","dateOfBirth":"1991-05-06","zipCode":"60601","area":{"lat":41.89,"lng":-87.62}}""")]
    [InlineData("""{"id":"01990000-1000-7000-8000-100010001000","priceMinor":10001,"note":"order 10001","at":"1980-02-03T10:00:00.000Z"}""")]
    [InlineData("""{"emails":["second-alice-scan@example.org","alice-scan@example.org.uk"],"names":["Tess Alicesurnames"]}""")]
    [InlineData("""{"safeZone":{"name":"Precinct","tier":1,"lat":40.75,"lng":-74.00},"custom":{"lat":40.75,"lng":-74.00}}""")]
    public async Task the_callers_own_data_and_look_alike_values_pass(string json) => await Answer(Bob, json);

    [Fact]
    public async Task the_verification_queue_shows_moderators_name_and_birth_date_but_nothing_else()
    {
        await Answer(Bob, """{"items":[{"fullName":"Tess Alicesurname","dateOfBirth":"1980-02-03"}]}""", "/api/v1/admin/verifications");
        await Assert.ThrowsAsync<XunitException>(() => Answer(Bob, """{"items":[{"email":"alice-scan@example.org"}]}""", "/api/v1/admin/verifications"));
    }

    [Fact]
    public async Task values_changed_by_a_rectify_request_are_learnt_for_the_caller()
    {
        var registry = Registry();
        using var client = new HttpClient(new PrivacyScanHandler(registry, new CannedAnswer("""{"status":"completed"}""", "application/json")))
            { BaseAddress = new Uri("http://127.0.0.1") };
        client.DefaultRequestHeaders.Authorization = Bearer(Bob);
        using var response = await client.PostAsync("/api/v1/me/data-requests",
            new StringContent("""{"type":"rectify","changes":{"fullName":"Tess Rectifiedname"}}""", Encoding.UTF8, "application/json"));

        Assert.Contains(registry.OthersThan(Alice), s => s.Owner == Bob && s.Secret == new Secret("full name", "Tess Rectifiedname", Exact: false));
    }

    private static AuthenticationHeaderValue Bearer(Guid user) =>
        new("Bearer", $"e30.{Base64Url.EncodeToString(Encoding.UTF8.GetBytes($$"""{"sub":"{{user}}"}"""))}.signature");

    private sealed class CannedAnswer(string body, string mediaType) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, mediaType) });
    }
}
