using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace NeXChange.Api.Tests;

/// <summary>
/// A JSON body that gives a member twice, in the same or another letter case, is refused with validation_failed
/// and changes nothing: names bind case-insensitively, so "which one wins" must never be a question.
/// </summary>
public sealed class DuplicateMemberTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task AssertRefused(HttpResponseMessage response, string field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Json();
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.Equal(field, problem.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task a_registration_naming_the_email_twice_creates_no_account()
    {
        using var client = api.NewClient();
        var email = $"first-{Guid.NewGuid():N}@example.org";
        var response = await client.PostAsync("/api/v1/auth/register", Json($$"""
            {"email":"{{email}}","Email":"second-{{email}}","password":"{{TestUsers.Password}}","dateOfBirth":"1990-04-12",
             "zipCode":"10001","city":"New York"}
            """));
        await AssertRefused(response, "Email");
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/auth/register", TestUsers.RegistrationBody(email))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/v1/auth/register", TestUsers.RegistrationBody($"second-{email}"))).StatusCode);
    }

    [Fact]
    public async Task a_transfer_naming_the_amount_twice_moves_nothing()
    {
        var a = await api.RegisterVerified();
        var b = await api.RegisterVerified();
        using var alice = api.ClientFor(a);
        foreach (var (body, field) in new[]
        {
            ($$"""{"toUserId":"{{b.Id}}","amountMinor":100,"AmountMinor":9000}""", "AmountMinor"),
            ($$"""{"toUserId":"{{b.Id}}","amountMinor":100,"amountMinor":9000}""", "amountMinor"),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/credits/transfers") { Content = Json(body) };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            await AssertRefused(await alice.SendAsync(request), field);
        }
        Assert.Equal(10_000, (await (await alice.GetAsync("/api/v1/me/credits")).Json()).GetProperty("availableMinor").GetInt64());
    }

    [Fact]
    public async Task profile_and_settings_given_a_member_twice_stay_as_they_were()
    {
        var user = await api.Register();
        using var client = api.ClientFor(user);
        var fullName = (await (await client.GetAsync("/api/v1/me")).Json()).GetProperty("fullName").GetString();
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PatchAsync("/api/v1/me", Json("""{"fullName":"Ann Lee","fullName":"Bob Ray"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PatchAsync("/api/v1/me", Json("""{"fullName":"Ann Lee","FullName":"Bob Ray"}"""))).StatusCode);
        Assert.Equal(fullName, (await (await client.GetAsync("/api/v1/me")).Json()).GetProperty("fullName").GetString());

        var settings = await client.PutAsync("/api/v1/me/settings", Json("""
            {"emailOffers":false,"emailEscrow":true,"emailDisputes":true,"units":"km","Units":"mi","timezone":"Europe/Paris"}
            """));
        await AssertRefused(settings, "Units");
        var stored = await (await client.GetAsync("/api/v1/me/settings")).Json();
        Assert.True(stored.GetProperty("emailOffers").GetBoolean());
        Assert.Equal("mi", stored.GetProperty("units").GetString());
    }

    [Fact]
    public async Task an_item_whose_attributes_name_a_key_twice_is_not_created()
    {
        var user = await api.Register();
        using var client = api.ClientFor(user);
        var category = await api.CategoryId("Bicycles");
        var response = await client.PostAsync("/api/v1/items", Json($$"""
            {"title":"Vintage road bike, 54 cm","categoryId":"{{category}}","condition":"good","priceMinor":12500,
             "description":"Steel frame road bike, recently serviced, new tyres and brake pads. Rides smoothly.",
             "attributes":{"brand":"Peugeot","brand":"{{ApiFixture.RecalledBrand}}"} }
            """));
        await AssertRefused(response, "attributes.brand");
        Assert.Equal(0, (await (await client.GetAsync("/api/v1/me/items")).Json()).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task a_role_change_naming_the_role_twice_changes_nothing()
    {
        using var admin = api.ClientFor(await api.Admin());
        var user = await api.RegisterVerified();
        var response = await admin.PutAsync($"/api/v1/admin/users/{user.Id}/role", Json("""{"role":"user","Role":"admin"}"""));
        await AssertRefused(response, "Role");
        using var self = api.ClientFor(user);
        Assert.Equal("user", (await (await self.GetAsync("/api/v1/me")).Json()).GetProperty("role").GetString());
    }
}
