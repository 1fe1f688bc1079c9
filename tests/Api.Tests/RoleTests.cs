using System.Net;
using System.Net.Http.Json;
using NeXChange.TestSupport;

namespace NeXChange.Api.Tests;

/// <summary>Role changes (SPEC.md 3.3): admins only, never the last admin, and the target's sessions end.</summary>
public sealed class RoleTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task an_admin_makes_a_moderator_who_signs_in_again_with_the_new_role()
    {
        var ops = await api.Admin();
        using var admin = api.ClientFor(ops);
        var user = await api.RegisterVerified();
        using var before = api.ClientFor(user);
        Assert.Equal(HttpStatusCode.Forbidden, (await before.GetAsync("/api/v1/admin/items/review")).StatusCode);

        var changed = await admin.PutAsJsonAsync($"/api/v1/admin/users/{user.Id}/role", new { role = "moderator" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("moderator", (await changed.Json()).GetProperty("role").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await before.GetAsync("/api/v1/me")).StatusCode);

        using var anonymous = api.NewClient();
        var login = await (await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = user.Email, password = TestUsers.Password })).Json();
        using var moderator = api.ClientFor(user with { AccessToken = login.GetProperty("accessToken").GetString()! });
        Assert.Equal(HttpStatusCode.OK, (await moderator.GetAsync("/api/v1/admin/items/review")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await moderator.GetAsync("/api/v1/admin/ledger/reconciliation")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await moderator.PutAsJsonAsync($"/api/v1/admin/users/{user.Id}/role", new { role = "admin" })).StatusCode);
        Assert.Equal(1L, await Sql.ScalarAsync<long>(api.Postgres,
            "select count(*) from audit_log where action = 'ROLE_CHANGED' and entity_id = $1 and actor_id = $2", user.Id.ToString(), ops.Id));
    }

    [Fact]
    public async Task the_last_admin_cannot_be_demoted_and_bad_requests_change_nothing()
    {
        var ops = await api.Admin();
        using var admin = api.ClientFor(ops);
        var last = await admin.PutAsJsonAsync($"/api/v1/admin/users/{ops.Id}/role", new { role = "user" });
        Assert.Equal(HttpStatusCode.Conflict, last.StatusCode);
        Assert.Equal("last_admin", (await last.Json()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/admin/ledger/reconciliation")).StatusCode);

        var user = await api.RegisterVerified();
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync($"/api/v1/admin/users/{user.Id}/role", new { role = "superuser" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync($"/api/v1/admin/users/{user.Id}/role", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PutAsJsonAsync($"/api/v1/admin/users/{Guid.NewGuid()}/role", new { role = "moderator" })).StatusCode);
        using var stillUser = api.ClientFor(user);
        Assert.Equal("user", (await (await stillUser.GetAsync("/api/v1/me")).Json()).GetProperty("role").GetString());
    }
}
