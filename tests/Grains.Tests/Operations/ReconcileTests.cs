using NeXChange.TestSupport;
using System.Text.Json;
using NeXChange.Silo.Commands;
using NeXChange.Users;

namespace NeXChange.Grains.Tests.Operations;

public class ReconcileTests(OperationsDatabase db) : IClassFixture<OperationsDatabase>
{
    private async Task<(int Code, JsonElement Report)> ReconcileAsync()
    {
        var (code, output, _) = await db.RunCliAsync(["reconcile"]);
        return (code, JsonDocument.Parse(output).RootElement);
    }

    private Task<long> DriftAuditsAsync() => db.ScalarAsync<long>("select count(*) from audit_log where action = 'LEDGER_DRIFT'");

    [Fact]
    public async Task a_healthy_ledger_exits_0_and_a_corrupted_balance_exits_1_with_a_ledger_drift_audit_row()
    {
        var provisioning = db.Get<AdminProvisioning>();
        var first = await provisioning.CreateAsync("ledger.one@example.test", "Tr0ub4dor&3-horse");
        await provisioning.CreateAsync("ledger.two@example.test", "Tr0ub4dor&3-horse");

        var (healthyCode, healthy) = await ReconcileAsync();

        Assert.Equal(ExitCodes.Ok, healthyCode);
        Assert.True(healthy.GetProperty("ok").GetBoolean());
        Assert.Equal(20_000, healthy.GetProperty("circulatingMinor").GetInt64());
        Assert.Equal(0, healthy.GetProperty("drifts").GetArrayLength());
        Assert.Equal(0L, await DriftAuditsAsync());

        // Bypass the guard as the schema owner would have to, to simulate corruption the application cannot cause.
        await Sql.ExecuteAsync(TestEnvironment.Owner(db.Postgres), $"""
            alter table ledger.accounts disable trigger accounts_guard;
            update ledger.accounts set balance = balance + 1 where owner_id = '{first.UserId}' and kind = 'USER_AVAILABLE';
            alter table ledger.accounts enable trigger accounts_guard;
            """);

        var (corruptedCode, corrupted) = await ReconcileAsync();

        Assert.Equal(ExitCodes.Problem, corruptedCode);
        Assert.False(corrupted.GetProperty("ok").GetBoolean());
        Assert.Equal(1, corrupted.GetProperty("sumOfBalancesMinor").GetInt64());
        var drift = Assert.Single(corrupted.GetProperty("drifts").EnumerateArray().ToList());
        Assert.Equal((first.UserId, 10_001L, 10_000L),
            (drift.GetProperty("ownerId").GetGuid(), drift.GetProperty("storedMinor").GetInt64(), drift.GetProperty("recomputedMinor").GetInt64()));
        Assert.Equal(1L, await DriftAuditsAsync());
        Assert.Equal(1L, await db.ScalarAsync<long>(
            "select count(*) from audit_log where action = 'LEDGER_DRIFT' and actor_id is null and (data->>'sumOfBalancesMinor')::bigint = 1"));
    }
}
