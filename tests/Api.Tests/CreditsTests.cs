using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace NeXChange.Api.Tests;

/// <summary>The credits walk-through of the foundation issue, and hostile input on every credits endpoint.</summary>
public sealed class CreditsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static HttpRequestMessage Transfer(object body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/credits/transfers") { Content = JsonContent.Create(body) };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private static HttpRequestMessage RawTransfer(string json, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/credits/transfers")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private static async Task<long> Available(HttpClient client) =>
        (await (await client.GetAsync("/api/v1/me/credits")).Json()).GetProperty("availableMinor").GetInt64();

    [Fact]
    public async Task transfer_walkthrough_moves_exactly_once_and_refuses_conflicts_and_overdrafts()
    {
        var a = await api.RegisterVerified();
        var b = await api.RegisterVerified();
        using var alice = api.ClientFor(a);
        using var bob = api.ClientFor(b);
        Assert.Equal(10_000, await Available(alice));
        Assert.Equal(10_000, await Available(bob));

        var key = Guid.NewGuid().ToString();
        var first = await alice.SendAsync(Transfer(new { toUserId = b.Id, amountMinor = 2_500, memo = "for the bike lock" }, key));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var firstBody = await first.Json();
        var transactionId = firstBody.GetProperty("transactionId").GetGuid();
        Assert.Equal(7_500, firstBody.GetProperty("availableMinor").GetInt64());

        var replay = await alice.SendAsync(Transfer(new { toUserId = b.Id, amountMinor = 2_500, memo = "for the bike lock" }, key));
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(transactionId, (await replay.Json()).GetProperty("transactionId").GetGuid());

        var conflict = await alice.SendAsync(Transfer(new { toUserId = b.Id, amountMinor = 2_600, memo = "for the bike lock" }, key));
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        Assert.Equal("idempotency_conflict", (await conflict.Json()).GetProperty("code").GetString());

        var overdraft = await alice.SendAsync(Transfer(new { toUserId = b.Id, amountMinor = 7_501 }, Guid.NewGuid().ToString()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, overdraft.StatusCode);
        var problem = await overdraft.Json();
        Assert.Equal("insufficient_funds", problem.GetProperty("code").GetString());
        Assert.Equal(7_500, problem.GetProperty("availableMinor").GetInt64());

        Assert.Equal(7_500, await Available(alice));
        Assert.Equal(12_500, await Available(bob));

        var history = await (await alice.GetAsync("/api/v1/me/credits/history")).Json();
        var sent = history.GetProperty("items").EnumerateArray().First();
        Assert.Equal("transfer", sent.GetProperty("kind").GetString());
        Assert.Equal(-2_500, sent.GetProperty("amountMinor").GetInt64());
        Assert.Equal("for the bike lock", sent.GetProperty("memo").GetString());
        Assert.Equal(b.Id, sent.GetProperty("counterparty").GetProperty("id").GetGuid());

        var received = (await (await bob.GetAsync("/api/v1/me/credits/history")).Json()).GetProperty("items").EnumerateArray().First();
        Assert.Equal(2_500, received.GetProperty("amountMinor").GetInt64());
        Assert.True(received.GetProperty("memo").ValueKind == JsonValueKind.Null, "the memo is shown to its sender only");

        // Days on the ledger's own clock: from the day before the transfer (the signup grant came moments earlier, maybe
        // before a midnight UTC) to the transfer's day, the last movement of this account.
        var transferredAt = firstBody.GetProperty("createdAt").GetDateTimeOffset().UtcDateTime;
        var from = transferredAt.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var to = transferredAt.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var statement = await (await alice.GetAsync($"/api/v1/me/credits/statement?from={from}&to={to}")).Json();
        var available = statement.GetProperty("available");
        Assert.Equal(0, available.GetProperty("openingMinor").GetInt64());
        Assert.Equal(10_000, available.GetProperty("creditsMinor").GetInt64());
        Assert.Equal(2_500, available.GetProperty("debitsMinor").GetInt64());
        Assert.Equal(7_500, available.GetProperty("closingMinor").GetInt64());

        var admin = await api.Admin();
        using var ops = api.ClientFor(admin);
        var report = await (await ops.GetAsync("/api/v1/admin/ledger/reconciliation")).Json();
        Assert.True(report.GetProperty("ok").GetBoolean());
        Assert.Equal(0, report.GetProperty("sumOfBalancesMinor").GetInt64());
        Assert.Empty(report.GetProperty("drifts").EnumerateArray());
    }

    [Theory]
    [InlineData("""{"toUserId":"{to}","amountMinor":12.5}""")]
    [InlineData("""{"toUserId":"{to}","amountMinor":1e3}""")]
    [InlineData("""{"toUserId":"{to}","amountMinor":-5}""")]
    [InlineData("""{"toUserId":"{to}","amountMinor":9007199254740992}""")]
    [InlineData("""{"toUserId":"{to}","amountMinor":100000000000000000000000000000}""")]
    [InlineData("""{"toUserId":"{to}","amountMinor":"100"}""")]
    [InlineData("""{"toUserId":"{to}"}""")]
    [InlineData("""{"toUserId":"{to}","amountMinor":100,"fee":0}""")]
    [InlineData("""{"toUserId":"not-a-uuid","amountMinor":100}""")]
    [InlineData("""{"toUserId":"{to}","amountMinor":0}""")]
    [InlineData("""{"toUserId":"{to}","amountMinor":100,"memo":"{long}"}""")]
    [InlineData("""{"toUserId":"{to}","amountMinor":100""")]
    [InlineData("""[]""")]
    public async Task malformed_transfers_are_validation_errors_and_move_nothing(string template)
    {
        var a = await api.RegisterVerified();
        var b = await api.RegisterVerified();
        using var alice = api.ClientFor(a);
        var json = template.Replace("{to}", b.Id.ToString(), StringComparison.Ordinal)
            .Replace("{long}", new string('x', 141), StringComparison.Ordinal);
        var response = await alice.SendAsync(RawTransfer(json, Guid.NewGuid().ToString()));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation_failed", (await response.Json()).GetProperty("code").GetString());
        Assert.Equal(10_000, await Available(alice));
    }

    [Fact]
    public async Task transfers_are_refused_by_rule_with_stable_codes()
    {
        var a = await api.RegisterVerified();
        var b = await api.RegisterVerified();
        var unverified = await api.Register();
        using var alice = api.ClientFor(a);

        var noKey = await alice.SendAsync(Transfer(new { toUserId = b.Id, amountMinor = 100 }, null));
        Assert.Equal("idempotency_key_missing", (await noKey.Json()).GetProperty("code").GetString());

        var badKey = await alice.SendAsync(Transfer(new { toUserId = b.Id, amountMinor = 100 }, "has space"));
        Assert.Equal(HttpStatusCode.BadRequest, badKey.StatusCode);

        var unknown = await alice.SendAsync(Transfer(new { toUserId = Guid.NewGuid(), amountMinor = 100 }, Guid.NewGuid().ToString()));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var self = await alice.SendAsync(Transfer(new { toUserId = a.Id, amountMinor = 100 }, Guid.NewGuid().ToString()));
        Assert.Equal(HttpStatusCode.BadRequest, self.StatusCode);

        var ineligible = await alice.SendAsync(Transfer(new { toUserId = unverified.Id, amountMinor = 100 }, Guid.NewGuid().ToString()));
        Assert.Equal("recipient_not_eligible", (await ineligible.Json()).GetProperty("code").GetString());

        var tooBig = await alice.SendAsync(Transfer(new { toUserId = b.Id, amountMinor = 1_000_001 }, Guid.NewGuid().ToString()));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooBig.StatusCode);
        var limit = await tooBig.Json();
        Assert.Equal("limit_exceeded", limit.GetProperty("code").GetString());
        Assert.True(limit.TryGetProperty("limit", out _));

        using var stranger = api.ClientFor(unverified);
        var notVerified = await stranger.SendAsync(Transfer(new { toUserId = a.Id, amountMinor = 100 }, Guid.NewGuid().ToString()));
        Assert.Equal(HttpStatusCode.Forbidden, notVerified.StatusCode);
        Assert.Equal("email_not_verified", (await notVerified.Json()).GetProperty("code").GetString());

        using var anonymous = api.NewClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync(Transfer(new { toUserId = b.Id, amountMinor = 100 }, "k"))).StatusCode);

        Assert.Equal(10_000, await Available(alice));
    }

    [Fact]
    public async Task admin_grants_need_the_admin_role_and_are_idempotent()
    {
        var user = await api.RegisterVerified();
        using var plain = api.ClientFor(user);
        var grant = new { userId = user.Id, amountMinor = 5_000, reason = "welcome back bonus" };
        var refused = await plain.SendAsync(Post("/api/v1/admin/credits/grants", grant, "g1"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("forbidden", (await refused.Json()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await plain.GetAsync("/api/v1/admin/ledger/reconciliation")).StatusCode);

        var admin = await api.Admin();
        using var ops = api.ClientFor(admin);
        var key = Guid.NewGuid().ToString();
        var first = await ops.SendAsync(Post("/api/v1/admin/credits/grants", grant, key));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var again = await ops.SendAsync(Post("/api/v1/admin/credits/grants", grant, key));
        Assert.Equal((await first.Json()).GetProperty("transactionId").GetGuid(), (await again.Json()).GetProperty("transactionId").GetGuid());
        Assert.Equal(15_000, await Available(plain));
        // Audited once, in the grant's own database transaction (the replay posts nothing), with the admin as actor.
        var audit = await (await ops.GetAsync($"/api/v1/admin/audit?action=ADMIN_GRANT&entityId={user.Id}")).Json();
        var row = Assert.Single(audit.GetProperty("items").EnumerateArray());
        Assert.Equal(admin.Id, row.GetProperty("actorId").GetGuid());
        Assert.Equal(5_000, row.GetProperty("data").GetProperty("amountMinor").GetInt64());
        Assert.Equal("welcome back bonus", row.GetProperty("data").GetProperty("reason").GetString());

        var unknown = await ops.SendAsync(Post("/api/v1/admin/credits/grants", grant with { userId = Guid.NewGuid() }, Guid.NewGuid().ToString()));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var shortReason = await ops.SendAsync(Post("/api/v1/admin/credits/grants", grant with { reason = "x" }, Guid.NewGuid().ToString()));
        Assert.Equal(HttpStatusCode.BadRequest, shortReason.StatusCode);
        Assert.Equal(15_000, await Available(plain));
    }

    [Fact]
    public async Task concurrent_requests_with_one_key_move_money_once()
    {
        var a = await api.RegisterVerified();
        var b = await api.RegisterVerified();
        using var alice = api.ClientFor(a);
        var key = Guid.NewGuid().ToString();
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => alice.SendAsync(Transfer(new { toUserId = b.Id, amountMinor = 700 }, key))));

        var created = responses.Where(r => r.StatusCode == HttpStatusCode.Created).ToList();
        Assert.NotEmpty(created);
        foreach (var busy in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            // Still running when the duplicate arrived: told to come back, not processed twice.
            Assert.Equal(HttpStatusCode.Conflict, busy.StatusCode);
            Assert.Equal("idempotency_in_progress", (await busy.Json()).GetProperty("code").GetString());
            Assert.Equal("1", busy.Headers.GetValues("Retry-After").Single());
        }
        var ids = new HashSet<Guid>();
        foreach (var response in created) ids.Add((await response.Json()).GetProperty("transactionId").GetGuid());
        Assert.Single(ids);
        Assert.Equal(9_300, await Available(alice));
    }

    [Fact]
    public async Task idempotency_keys_belong_to_their_caller()
    {
        var a = await api.RegisterVerified();
        var b = await api.RegisterVerified();
        var c = await api.RegisterVerified();
        using var alice = api.ClientFor(a);
        using var bob = api.ClientFor(b);
        const string key = "same-key-for-everyone";
        var fromAlice = await alice.SendAsync(Transfer(new { toUserId = c.Id, amountMinor = 100 }, key));
        var fromBob = await bob.SendAsync(Transfer(new { toUserId = c.Id, amountMinor = 100 }, key));
        Assert.Equal(HttpStatusCode.Created, fromAlice.StatusCode);
        Assert.Equal(HttpStatusCode.Created, fromBob.StatusCode);
        Assert.False(fromBob.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual((await fromAlice.Json()).GetProperty("transactionId").GetGuid(), (await fromBob.Json()).GetProperty("transactionId").GetGuid());

        // Anonymous requests have no caller to scope a key by: another client's answer (its tokens) is never replayed.
        using var anonymous = api.NewClient();
        var first = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/register") { Content = JsonContent.Create(TestUsers.RegistrationBody($"k1-{Guid.NewGuid():N}@example.org")) };
        first.Headers.Add("Idempotency-Key", key);
        var second = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/register") { Content = JsonContent.Create(TestUsers.RegistrationBody($"k2-{Guid.NewGuid():N}@example.org")) };
        second.Headers.Add("Idempotency-Key", key);
        Assert.Equal(HttpStatusCode.Created, (await anonymous.SendAsync(first)).StatusCode);
        var other = await anonymous.SendAsync(second);
        Assert.Equal(HttpStatusCode.Created, other.StatusCode);
        Assert.False(other.Headers.Contains("Idempotent-Replayed"));
    }

    [Fact]
    public async Task history_limits_and_cursors_are_checked()
    {
        var user = await api.RegisterVerified();
        using var client = api.ClientFor(user);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/me/credits/history?limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/me/credits/history?limit=101")).StatusCode);
        var tampered = await client.GetAsync("/api/v1/me/credits/history?before=AAAA%27%3B--");
        Assert.Equal("invalid_cursor", (await tampered.Json()).GetProperty("code").GetString());
        var span = await client.GetAsync("/api/v1/me/credits/statement?from=2025-01-01&to=2026-06-01");
        Assert.Equal(HttpStatusCode.BadRequest, span.StatusCode);
        var reversed = await client.GetAsync("/api/v1/me/credits/statement?from=2026-02-01&to=2026-01-01");
        Assert.Equal(HttpStatusCode.BadRequest, reversed.StatusCode);
    }

    private static HttpRequestMessage Post(string path, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }
}
