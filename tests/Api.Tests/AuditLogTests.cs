using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NeXChange.TestSupport;

namespace NeXChange.Api.Tests;

/// <summary>GET /admin/audit (SPEC.md 3.13, 8.6, 9.4) and what audit rows may hold. Tests of this class share one database.</summary>
public sealed class AuditLogTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Path = "/api/v1/admin/audit";
    private static readonly string WrongPassword = TestPasswords.New();

    private async Task<HttpClient> AdminAsync() => api.ClientFor(await api.Admin());

    private static async Task<JsonElement> PageAsync(HttpClient admin, string query)
    {
        var response = await admin.GetAsync($"{Path}?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Json();
    }

    private static List<string> Actions(JsonElement page) =>
        [.. page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()!)];

    private async Task<HttpResponseMessage> LoginAsync(string email, string password)
    {
        using var client = api.NewClient();
        return await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password });
    }

    private static async Task<string> ProblemCodeAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        return (await response.Json()).GetProperty("code").GetString()!;
    }

    [Fact]
    public async Task an_admin_reads_one_users_trail_newest_first()
    {
        var user = await api.RegisterVerified();
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(user.Email, WrongPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(user.Email, user.Password)).StatusCode);
        using var admin = await AdminAsync();

        var page = await PageAsync(admin, $"entityType=user&entityId={user.Id}");

        Assert.Equal(["LOGIN_SUCCEEDED", "LOGIN_FAILED", "EMAIL_VERIFIED", "USER_REGISTERED"], Actions(page));
        var newest = page.GetProperty("items")[0];
        Assert.Equal(("user", user.Id.ToString(), user.Id), (newest.GetProperty("entityType").GetString(),
            newest.GetProperty("entityId").GetString(), newest.GetProperty("actorId").GetGuid()));
        Assert.Equal(JsonValueKind.Null, page.GetProperty("items")[1].GetProperty("actorId").ValueKind);
        Assert.Equal(JsonValueKind.Null, page.GetProperty("nextBefore").ValueKind);
    }

    [Fact]
    public async Task the_action_and_actor_filters_narrow_the_list()
    {
        var user = await api.RegisterVerified();
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(user.Email, WrongPassword)).StatusCode);
        var ops = await api.Admin();
        using var admin = api.ClientFor(ops);
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/v1/admin/users/{user.Id}/role", new { role = "moderator" })).StatusCode);

        var failed = await PageAsync(admin, $"entityId={user.Id}&action=LOGIN_FAILED");
        var byAdmin = await PageAsync(admin, $"entityId={user.Id}&actorId={ops.Id}");
        var byUser = await PageAsync(admin, $"actorId={user.Id}");

        Assert.Equal(["LOGIN_FAILED"], Actions(failed));
        Assert.Equal(["ROLE_CHANGED"], Actions(byAdmin));
        Assert.Equal(["EMAIL_VERIFIED", "USER_REGISTERED"], Actions(byUser));
        Assert.All(byUser.GetProperty("items").EnumerateArray(), e => Assert.Equal(user.Id, e.GetProperty("actorId").GetGuid()));
    }

    [Fact]
    public async Task pages_follow_each_other_without_overlap_and_rows_recorded_meanwhile_do_not_shift_them()
    {
        var user = await api.Register();
        for (var i = 0; i < 4; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(user.Email, WrongPassword)).StatusCode);
        using var admin = await AdminAsync();
        var query = $"entityType=user&entityId={user.Id}";
        var all = (await PageAsync(admin, query)).GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()).ToList();

        var ids = new List<long>();
        string? before = null;
        var pages = 0;
        do
        {
            var page = await PageAsync(admin, $"{query}&limit=2" + (before is null ? "" : $"&before={before}"));
            ids.AddRange(page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
            before = page.GetProperty("nextBefore").GetString();
            pages++;
            // Recorded after the first page: newer than everything paged so far, so it must not appear later.
            if (pages == 1) Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(user.Email, WrongPassword)).StatusCode);
        } while (before is not null);

        Assert.Equal(5, all.Count);
        Assert.Equal(3, pages);
        Assert.Equal(all, ids);
        Assert.Equal(all.OrderDescending(), all);
    }

    [Fact]
    public async Task a_tampered_cursor_or_one_from_other_filters_is_invalid_cursor()
    {
        var user = await api.RegisterVerified();
        using var admin = await AdminAsync();
        var cursor = (await PageAsync(admin, $"entityId={user.Id}&limit=1")).GetProperty("nextBefore").GetString()!;
        var tampered = (cursor[0] == 'A' ? 'B' : 'A') + cursor[1..];

        Assert.Equal("invalid_cursor", await ProblemCodeAsync(await admin.GetAsync($"{Path}?entityId={user.Id}&limit=1&before={tampered}")));
        Assert.Equal("invalid_cursor", await ProblemCodeAsync(await admin.GetAsync($"{Path}?entityId={user.Id}&action=EMAIL_VERIFIED&before={cursor}")));
        Assert.Equal("invalid_cursor", await ProblemCodeAsync(await admin.GetAsync($"{Path}?before=not!base64")));
        Assert.Equal(["USER_REGISTERED"], Actions(await PageAsync(admin, $"entityId={user.Id}&limit=1&before={cursor}")));
    }

    [Theory]
    [InlineData("actorId=not-a-uuid", "actorId", "invalid_format")]
    [InlineData("limit=0", "limit", "out_of_range")]
    [InlineData("limit=101", "limit", "out_of_range")]
    [InlineData("entityType=", "entityType", "too_short")]
    [InlineData("action=", "action", "too_short")]
    public async Task bad_filters_are_validation_errors(string query, string field, string code)
    {
        using var admin = await AdminAsync();

        var response = await admin.GetAsync($"{Path}?{query}");

        Assert.Equal("validation_failed", await ProblemCodeAsync(response));
        var error = Assert.Single((await response.Json()).GetProperty("errors").EnumerateArray());
        Assert.Equal((field, code), (error.GetProperty("field").GetString(), error.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task only_admins_read_the_audit_log()
    {
        var user = await api.RegisterVerified();
        var moderator = await api.RegisterVerified();
        using var admin = await AdminAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/v1/admin/users/{moderator.Id}/role", new { role = "moderator" })).StatusCode);
        var signedIn = await (await LoginAsync(moderator.Email, moderator.Password)).Json();
        Assert.Equal("moderator", signedIn.GetProperty("user").GetProperty("role").GetString());
        using var asModerator = api.ClientFor(moderator with { AccessToken = signedIn.GetProperty("accessToken").GetString()! });
        using var asUser = api.ClientFor(user);
        using var anonymous = api.NewClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(Path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await asUser.GetAsync(Path)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await asModerator.GetAsync(Path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(Path)).StatusCode);
    }

    [Fact]
    public async Task no_audit_row_holds_a_password_a_token_or_a_raw_email()
    {
        var newPassword = TestPasswords.New();
        var unknownEmail = $"nobody-{Guid.NewGuid():N}@example.org";
        var alice = await api.Register();
        var verifyToken = api.LatestToken(alice.Email);
        using (var client = api.NewClient())
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync("/api/v1/auth/verify-email", new { token = verifyToken })).StatusCode);
        var bob = await api.RegisterVerified();
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(alice.Email, WrongPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await LoginAsync(unknownEmail, WrongPassword)).StatusCode);
        var login = await (await LoginAsync(alice.Email, alice.Password)).Json();
        string refreshed;
        using (var client = api.NewClient())
        {
            var refresh = await client.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = login.GetProperty("refreshToken").GetString() });
            refreshed = (await refresh.Json()).GetProperty("refreshToken").GetString()!;
        }
        using var asAlice = api.ClientFor(alice with { AccessToken = login.GetProperty("accessToken").GetString()! });
        var transfer = new HttpRequestMessage(HttpMethod.Post, "/api/v1/credits/transfers")
        {
            Content = JsonContent.Create(new { toUserId = bob.Id, amountMinor = 500, memo = "audit scan" }),
        };
        transfer.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        Assert.Equal(HttpStatusCode.Created, (await asAlice.SendAsync(transfer)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent,
            (await asAlice.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = alice.Password, newPassword })).StatusCode);
        using var admin = await AdminAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.PutAsJsonAsync($"/api/v1/admin/users/{bob.Id}/role", new { role = "moderator" })).StatusCode);
        string[] secrets =
        [
            alice.Email, bob.Email, unknownEmail, ApiFixture.AdminEmail,
            TestUsers.Password, newPassword, WrongPassword,
            verifyToken, alice.AccessToken, alice.RefreshToken, bob.AccessToken, bob.RefreshToken,
            login.GetProperty("accessToken").GetString()!, login.GetProperty("refreshToken").GetString()!, refreshed,
        ];

        var rows = await ReadAuditRowsAsync();

        // The flows above were recorded, so the scan looked at the rows they wrote.
        Assert.Contains(rows, r => r.Contains("PASSWORD_CHANGED", StringComparison.Ordinal) && r.Contains(alice.Id.ToString(), StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("ROLE_CHANGED", StringComparison.Ordinal) && r.Contains(bob.Id.ToString(), StringComparison.Ordinal));
        foreach (var secret in secrets)
            Assert.DoesNotContain(rows, r => r.Contains(secret, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Every column of every audit row as text, read as the owner so that no grant can hide a row.</summary>
    private async Task<List<string>> ReadAuditRowsAsync()
    {
        await using var connection = new Npgsql.NpgsqlConnection(TestEnvironment.Owner(api.Postgres));
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("select audit_log::text from audit_log", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }
}
