using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace NeXChange.Api.Tests;

/// <summary>PATCH /me and the account settings (SPEC.md 3.9, 8.2).</summary>
public sealed class ProfileTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task a_patch_changes_only_what_it_names_and_a_new_zip_moves_the_public_area()
    {
        var user = await api.RegisterVerified();
        using var client = api.ClientFor(user);
        var patched = await (await client.PatchAsJsonAsync("/api/v1/me", new
        {
            fullName = "  Ada Lovelace ",
            phone = "+12025550123",
            zipCode = "60601",
            city = "Chicago",
            vehicleDescription = "Blue hatchback",
        })).Json();
        Assert.Equal("Ada Lovelace", patched.GetProperty("fullName").GetString());
        Assert.Equal("60601", patched.GetProperty("zipCode").GetString());
        Assert.Equal("Chicago area", patched.GetProperty("generalArea").GetString());

        var cleared = await (await client.PatchAsJsonAsync("/api/v1/me", new { phone = (string?)null })).Json();
        Assert.Equal(JsonValueKind.Null, cleared.GetProperty("phone").ValueKind);
        Assert.Equal("Ada Lovelace", cleared.GetProperty("fullName").GetString());

        using var anonymous = api.NewClient();
        var profile = await (await anonymous.GetAsync($"/api/v1/users/{user.Id}")).Json();
        Assert.Equal("Chicago area", profile.GetProperty("generalArea").GetString());
        Assert.False(profile.TryGetProperty("fullName", out _));
    }

    [Theory]
    [InlineData("""{"phone":"555-0123"}""", "phone")]
    [InlineData("""{"zipCode":"60601"}""", "city")]
    [InlineData("""{"zipCode":"00000","city":"Nowhere"}""", "zipCode")]
    [InlineData("""{"fullName":""}""", "fullName")]
    [InlineData("""{"vehicleDescription":"{long}"}""", "vehicleDescription")]
    [InlineData("""{"email":"new@example.org"}""", "email")]
    public async Task invalid_profile_changes_are_refused_and_change_nothing(string json, string field)
    {
        var user = await api.RegisterVerified();
        using var client = api.ClientFor(user);
        var body = json.Replace("{long}", new string('v', 201), StringComparison.Ordinal);
        var response = await client.PatchAsync("/api/v1/me", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains((await response.Json()).GetProperty("errors").EnumerateArray(), e => e.GetProperty("field").GetString() == field);
        var me = await (await client.GetAsync("/api/v1/me")).Json();
        Assert.Equal("10001", me.GetProperty("zipCode").GetString());
        Assert.Equal(user.Email, me.GetProperty("email").GetString());
    }

    [Fact]
    public async Task a_display_name_is_not_changed_within_thirty_days_of_the_last()
    {
        using var client = api.ClientFor(await api.RegisterVerified());
        var me = await (await client.GetAsync("/api/v1/me")).Json();
        var refused = await client.PostAsync("/api/v1/me/display-name", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Json();
        Assert.Equal("display_name_cooldown", problem.GetProperty("code").GetString());
        Assert.Equal(me.GetProperty("displayNameChangeableAt").GetString(), problem.GetProperty("changeableAt").GetString());
        Assert.EndsWith("Z", problem.GetProperty("changeableAt").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task settings_start_at_the_defaults_and_are_replaced_whole()
    {
        using var client = api.ClientFor(await api.RegisterVerified());
        var defaults = await (await client.GetAsync("/api/v1/me/settings")).Json();
        Assert.True(defaults.GetProperty("emailOffers").GetBoolean());
        Assert.Equal("mi", defaults.GetProperty("units").GetString());
        Assert.Equal("America/New_York", defaults.GetProperty("timezone").GetString());

        var saved = await client.PutAsJsonAsync("/api/v1/me/settings",
            new { emailOffers = false, emailEscrow = true, emailDisputes = false, units = "km", timezone = "Europe/Berlin" });
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var read = await (await client.GetAsync("/api/v1/me/settings")).Json();
        Assert.False(read.GetProperty("emailOffers").GetBoolean());
        Assert.Equal("Europe/Berlin", read.GetProperty("timezone").GetString());

        var badZone = await client.PutAsJsonAsync("/api/v1/me/settings",
            new { emailOffers = true, emailEscrow = true, emailDisputes = true, units = "km", timezone = "Mars/Olympus_Mons" });
        Assert.Equal(HttpStatusCode.BadRequest, badZone.StatusCode);
        var partial = await client.PutAsJsonAsync("/api/v1/me/settings", new { units = "km" });
        Assert.Equal(HttpStatusCode.BadRequest, partial.StatusCode);
        Assert.Equal("km", (await (await client.GetAsync("/api/v1/me/settings")).Json()).GetProperty("units").GetString());
    }
}
