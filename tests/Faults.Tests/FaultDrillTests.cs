using System.Net;
using NeXChange.TestSupport;

namespace NeXChange.Faults.Tests;

/// <summary>
/// SPEC.md 10's fault drill on a system of its own (deploy/run.sh, 3 silos, 2 API nodes): under continuous transfer load
/// through both API nodes, a silo is SIGKILLed, an API node is SIGKILLed, Redis is restarted and PostgreSQL is
/// restarted, one after the other. After each the service resumes and the ledger is intact (<see cref="LedgerChecks"/>).
/// </summary>
public sealed class FaultDrillTests
{
    /// <summary>SPEC.md 10: service resumes on the remaining nodes within 30 s. A bound on the wait, not a measure.</summary>
    private static readonly TimeSpan Resumes = TimeSpan.FromSeconds(30);

    /// <summary>How long an answer may take while a store is down before it counts as a hang.</summary>
    private static readonly TimeSpan NoHang = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task killed_nodes_and_restarted_stores_lose_or_double_no_acknowledged_transfer_and_service_resumes()
    {
        await using var system = await DrillSystem.StartAsync();
        var apis = system.ApiUrls.Select(url => new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(15) }).ToList();
        var first = apis[0];
        var users = (await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            DrillUsers.RegisterVerifiedAsync(apis[i % apis.Count], system.Outbox, $"drill-{i}-{Guid.NewGuid():N}@example.org")))).ToList();
        var admin = await DrillUsers.AdminAsync(first, system.Outbox);

        var load = TransferLoad.Start(users, apis, concurrency: 16);
        await using (load)
        {
            await Polling.UntilAsync(() => Task.FromResult(load.EverySenderServedSince(0)), served => served, "every user's first transfer");

            // 1. A silo dies without a word; the grains it held move to the other two.
            var mark = load.NextNumber;
            system.Kill("silo-2");
            await ResumesAsync(load, "every user has a transfer acknowledged that started after silo-2 was killed", mark);
            await LedgerChecks.AssertIntactAsync(system, first, admin, load.Acknowledged, "the silo kill");

            // 2. An API node dies; its clients go on through the other.
            mark = load.NextNumber;
            system.Kill("api-2");
            await ResumesAsync(load, "every user has a transfer acknowledged that started after api-2 was killed", mark);
            Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/health/ready")).StatusCode);
            await LedgerChecks.AssertIntactAsync(system, first, admin, load.Acknowledged, "the API node kill");

            // 3. Redis restarts (SPEC.md 3.12): the api class fails open, login fails closed.
            await system.StopRedisAsync();
            using (var refused = await BoundedAsync(first, () => DrillUsers.LoginRequest(DrillSystem.AdminEmail), "a login while Redis is down"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                Assert.Equal("service_unavailable", (await DrillUsers.JsonAsync(refused)).GetProperty("code").GetString());
            }
            using (var allowed = await BoundedAsync(first, () => new HttpRequestMessage(HttpMethod.Get, "/api/v1/me/credits").Authorized(users[0]),
                "a balance read while Redis is down"))
                Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
            mark = load.NextNumber;
            await system.StartRedisAsync();
            await ResumesAsync(load, "every user has a transfer acknowledged that started after Redis came back", mark);
            await LedgerChecks.AssertIntactAsync(system, first, admin, load.Acknowledged, "the Redis restart");

            // 4. PostgreSQL restarts: fast 503s while it is down, then recovery.
            await system.StopPostgresAsync();
            await AssertFastUnavailableAsync(first, users);
            mark = load.NextNumber;
            await system.StartPostgresAsync();
            await ResumesAsync(load, "every user has a transfer acknowledged that started after PostgreSQL came back", mark);
        }
        await LedgerChecks.AssertIntactAsync(system, first, admin, load.Acknowledged, "the PostgreSQL restart");
        Assert.True(load.Unexpected.Count == 0, $"answers no client expects: {string.Join("; ", load.Unexpected.Take(5))}");
        foreach (var api in apis) api.Dispose();
    }

    private static Task<bool> ResumesAsync(TransferLoad load, string what, long mark) =>
        Polling.UntilAsync(() => Task.FromResult(load.EverySenderServedSince(mark)), served => served, what, Resumes);

    /// <summary>A new transfer while PostgreSQL is down is refused with 503 service_unavailable, without hanging.</summary>
    private static async Task AssertFastUnavailableAsync(HttpClient api, List<DrillUser> users)
    {
        var probe = new DrillTransfer(-1, users[0], users[1].Id, 1, Guid.NewGuid().ToString());
        using var response = await BoundedAsync(api, probe.Request, "a transfer while PostgreSQL is down");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("service_unavailable", (await DrillUsers.JsonAsync(response)).GetProperty("code").GetString());
    }

    /// <summary>The answer to a request sent while a store is down, which must come before <see cref="NoHang"/>.</summary>
    private static async Task<HttpResponseMessage> BoundedAsync(HttpClient api, Func<HttpRequestMessage> request, string what)
    {
        using var answer = new CancellationTokenSource(NoHang);
        try
        {
            return await api.SendAsync(request(), answer.Token);
        }
        catch (TaskCanceledException) when (answer.IsCancellationRequested)
        {
            throw new Xunit.Sdk.XunitException($"No answer to {what} within {NoHang.TotalSeconds} s.");
        }
    }
}
