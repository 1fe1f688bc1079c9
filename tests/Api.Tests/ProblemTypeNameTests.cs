using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using NeXChange.TestSupport;

namespace NeXChange.Api.Tests;

/// <summary>
/// Problem bodies name the JSON member at fault but never a .NET type, parameter declaration or framework message
/// ("System.Int32", "Me+ProfileRequest", "int? limit"): those describe the implementation, not the contract.
/// </summary>
public sealed partial class ProblemTypeNameTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task AssertNoTypeNames(HttpResponseMessage response, string? field)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotMatch(TypeName(), text);
        var problem = await response.Json();
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        if (field is not null) Assert.Equal(field, problem.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task unreadable_bodies_name_the_member_and_no_type()
    {
        var user = await api.Register();
        using var client = api.ClientFor(user);
        await AssertNoTypeNames(await client.PostAsync("/api/v1/auth/login", Json($$"""{"email":5,"password":"{{TestPasswords.TooShort()}}"}""")), "email");
        await AssertNoTypeNames(await client.PostAsync("/api/v1/auth/login", Json($$"""{"email":"a@b.org","password":"{{TestPasswords.TooShort()}}","isAdmin":true}""")), "isAdmin");
        await AssertNoTypeNames(await client.PostAsync("/api/v1/auth/login", Json("""{"email":"a@b.org","Email":"c@d.org"}""")), "Email");
        await AssertNoTypeNames(await client.PostAsync("/api/v1/auth/login", Json("""{"email":""")), null);
        await AssertNoTypeNames(await client.PatchAsync("/api/v1/me", Json("""{"fullName":5}""")), "fullName");
        await AssertNoTypeNames(await client.PutAsync("/api/v1/me/settings", Json("""{"emailOffers":"yes"}""")), "emailOffers");
    }

    [Fact]
    public async Task an_item_patch_of_the_wrong_type_names_the_member_and_no_type()
    {
        var user = await api.Register();
        using var client = api.ClientFor(user);
        var created = await client.PostAsync("/api/v1/items", Json($$"""
            {"title":"Vintage road bike, 54 cm","categoryId":"{{await api.CategoryId("Bicycles")}}","condition":"good","priceMinor":12500,
             "description":"Steel frame road bike, recently serviced, new tyres and brake pads. Rides smoothly."}
            """));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Json()).GetProperty("id").GetGuid();
        await AssertNoTypeNames(await client.PatchAsync($"/api/v1/items/{id}", Json("""{"priceMinor":"cheap"}""")), "priceMinor");
        await AssertNoTypeNames(await client.PatchAsync($"/api/v1/items/{id}", Json("""{"tags":"bike"}""")), "tags");
    }

    [Fact]
    public async Task unreadable_query_parameters_name_no_type()
    {
        var user = await api.Register();
        using var client = api.ClientFor(user);
        await AssertNoTypeNames(await client.GetAsync("/api/v1/me/items?limit=abc"), null);
        await AssertNoTypeNames(await client.GetAsync($"/api/v1/users/{user.Id}/avatar.svg?size=big"), null);
    }

    // Namespaced or nested type names, CLR type keywords, and binder parameter declarations such as "int? limit".
    [GeneratedRegex(@"\b(System|Microsoft|NeXChange|Orleans)\.|\w\+\w|\b(Int16|Int32|Int64|Boolean|String|Guid|Nullable|JsonElement|Dictionary)\b|\b(int|long|bool|string)\?? \w", RegexOptions.None)]
    private static partial Regex TypeName();
}
