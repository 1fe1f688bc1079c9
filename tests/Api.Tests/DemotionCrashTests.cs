using System.Net;
using System.Net.Http.Json;
using NeXChange.Users;

namespace NeXChange.Api.Tests;

/// <summary>
/// A role change is one database write, and every request and refresh compares its session's role with it, so a
/// demotion cannot be separated from the end of the old sessions by a crash between the two steps (SPEC.md 3.3).
/// </summary>
public sealed class DemotionCrashTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task a_demotion_ends_the_old_sessions_even_when_the_api_dies_before_revoking_them()
    {
        var ops = await api.Admin();
        using var admin = api.ClientFor(ops);
        var user = await api.RegisterVerified();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/v1/admin/users/{user.Id}/role", new { role = "moderator" })).StatusCode);
        using var anonymous = api.NewClient();
        var login = await (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = TestUsers.Password })).Json();
        var moderator = user with
        {
            AccessToken = login.GetProperty("accessToken").GetString()!,
            RefreshToken = login.GetProperty("refreshToken").GetString()!,
        };
        using var asModerator = api.ClientFor(moderator);
        Assert.Equal(HttpStatusCode.OK, (await asModerator.GetAsync("/api/v1/admin/items/review")).StatusCode);

        // What PUT /admin/users/{id}/role does first; the API "crashes" before it revokes the sessions in Redis.
        await api.Cluster.GetGrain<IUserGrain>(user.Id).ChangeRole(ops.Id, Roles.User);

        Assert.Equal(HttpStatusCode.Unauthorized, (await asModerator.GetAsync("/api/v1/admin/items/review")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await asModerator.GetAsync("/api/v1/me")).StatusCode);
        var refresh = await anonymous.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = moderator.RefreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
        Assert.Equal("refresh_token_invalid", (await refresh.Json()).GetProperty("code").GetString());

        var again = await (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = TestUsers.Password })).Json();
        Assert.Equal("user", again.GetProperty("user").GetProperty("role").GetString());
        using var asUser = api.ClientFor(user with { AccessToken = again.GetProperty("accessToken").GetString()! });
        Assert.Equal(HttpStatusCode.Forbidden, (await asUser.GetAsync("/api/v1/admin/items/review")).StatusCode);
    }
}
