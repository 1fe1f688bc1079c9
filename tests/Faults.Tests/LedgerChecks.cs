using System.Net;
using NeXChange.TestSupport;
using Npgsql;

namespace NeXChange.Faults.Tests;

/// <summary>
/// What must hold after every fault (SPEC.md 10): each acknowledged transfer is in the ledger exactly once, as the
/// transaction its 201 named; reconciliation is ok (sum of balances zero, no negative balance, escrow equal to the
/// open holds); and a replay of an acknowledged key answers the same transaction.
/// </summary>
public static class LedgerChecks
{
    public static async Task AssertIntactAsync(DrillSystem system, HttpClient api, DrillUser admin, IReadOnlyCollection<Acknowledgement> acknowledged, string after)
    {
        Assert.NotEmpty(acknowledged);
        var stored = await TransactionsAsync(system.Postgres, acknowledged.Select(a => a.Transfer.LedgerKey).ToArray());
        foreach (var ack in acknowledged)
        {
            Assert.True(stored.TryGetValue(ack.Transfer.LedgerKey, out var ids), $"after {after}: acknowledged transfer {ack.Transfer.Key} is not in the ledger");
            Assert.Equal([ack.TransactionId], ids);
        }

        using var reconciliation = await AnsweredAsync(api, () => new HttpRequestMessage(HttpMethod.Get, "/api/v1/admin/ledger/reconciliation").Authorized(admin));
        Assert.Equal(HttpStatusCode.OK, reconciliation.StatusCode);
        var report = await DrillUsers.JsonAsync(reconciliation);
        Assert.True(report.GetProperty("ok").GetBoolean(), $"after {after}: reconciliation {report}");
        Assert.Equal(0, report.GetProperty("sumOfBalancesMinor").GetInt64());
        Assert.Equal(0, report.GetProperty("negativeAccounts").GetArrayLength());
        Assert.Equal(report.GetProperty("openHoldsMinor").GetInt64(), report.GetProperty("escrowBalancesMinor").GetInt64());
        Assert.Equal(0, report.GetProperty("holdMismatches").GetArrayLength());

        var replayed = acknowledged.MaxBy(a => a.Transfer.Number)!;
        using var replay = await AnsweredAsync(api, replayed.Transfer.Request);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal(replayed.TransactionId, (await DrillUsers.JsonAsync(replay)).GetProperty("transactionId").GetGuid());
    }

    /// <summary>
    /// The first answer that is not a 503. A 503 asks the client to try again (retryAfterSeconds): right after a store
    /// restart, a request can still meet a pooled connection the restart closed. Careful clients retry, as the load does.
    /// </summary>
    private static Task<HttpResponseMessage> AnsweredAsync(HttpClient api, Func<HttpRequestMessage> request) =>
        Polling.UntilAsync(async () => await api.SendAsync(request()), response =>
        {
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable) return true;
            response.Dispose();
            return false;
        }, "an answer other than 503", TimeSpan.FromSeconds(30));

    /// <summary>The ids of the ledger transactions under each key (more than one would be a doubled transfer).</summary>
    private static async Task<Dictionary<string, List<Guid>>> TransactionsAsync(string postgres, string[] keys)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select idempotency_key, id from ledger.transactions where idempotency_key = any($1)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = keys });
        var stored = new Dictionary<string, List<Guid>>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var key = reader.GetString(0);
            if (!stored.TryGetValue(key, out var ids)) stored[key] = ids = [];
            ids.Add(reader.GetGuid(1));
        }
        return stored;
    }
}
