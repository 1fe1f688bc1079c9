using System.Net;
using System.Net.Http.Json;
using NeXChange.TestSupport;

namespace NeXChange.Api.Tests;

/// <summary>The hosts reach PostgreSQL through a proxy that can drop every connection and refuse new ones.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit ends fixtures through IAsyncLifetime.DisposeAsync, which disposes the proxy.")]
public sealed class OutageFixture : ApiFixture
{
    private PostgresFaultProxy? proxy;

    public PostgresFaultProxy Proxy => proxy!;

    protected override string HostConnection(string postgres)
    {
        proxy = new PostgresFaultProxy(postgres);
        return proxy.Through(postgres);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (proxy is not null) await proxy.DisposeAsync();
    }
}

/// <summary>
/// PostgreSQL goes away under transfer load, as in a restart: requests fail fast with 503 and a retry-able code,
/// succeed once it is back, and nothing acknowledged is lost or doubled.
/// </summary>
public sealed class PostgresOutageTests(OutageFixture api) : IClassFixture<OutageFixture>
{
    private static HttpRequestMessage Transfer(Guid to, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/credits/transfers") { Content = JsonContent.Create(new { toUserId = to, amountMinor = 100 }) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    [Fact]
    public async Task transfers_answer_503_while_postgres_is_down_and_land_exactly_once_after()
    {
        var a = await api.RegisterVerified();
        var b = await api.RegisterVerified();
        using var alice = api.ClientFor(a);
        var keys = Enumerable.Range(0, 20).Select(i => $"outage-{i}").ToList();
        var acknowledged = new HashSet<string>();
        foreach (var key in keys.Take(10))
        {
            Assert.Equal(HttpStatusCode.Created, (await alice.SendAsync(Transfer(b.Id, key))).StatusCode);
            acknowledged.Add(key);
        }

        api.Proxy.Refuse();
        api.Proxy.SeverAll();
        foreach (var key in keys.Skip(10))
        {
            var down = await alice.SendAsync(Transfer(b.Id, key));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.Equal("service_unavailable", (await down.Json()).GetProperty("code").GetString());
        }
        api.Proxy.Accept();

        // Back up: every retry lands (pooled connections broken by the outage may cost a few more 503s first).
        foreach (var key in keys)
        {
            for (var attempt = 0; attempt < 20 && !acknowledged.Contains(key); attempt++)
            {
                var response = await alice.SendAsync(Transfer(b.Id, key));
                if (response.StatusCode == HttpStatusCode.Created) acknowledged.Add(key);
                else Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            }
        }

        Assert.Equal(keys.Count, acknowledged.Count);
        Assert.Equal(20L, await Sql.ScalarAsync<long>(api.Postgres,
            "select count(*) from ledger.transactions where kind = 'transfer' and initiator_id = $1", a.Id));
        var balance = await (await alice.GetAsync("/api/v1/me/credits")).Json();
        Assert.Equal(10_000 - 20 * 100, balance.GetProperty("availableMinor").GetInt64());
        using var admin = api.ClientFor(await api.Admin());
        var report = await (await admin.GetAsync("/api/v1/admin/ledger/reconciliation")).Json();
        Assert.True(report.GetProperty("ok").GetBoolean());
    }
}
