using NeXChange.TestSupport;
using Npgsql;

namespace NeXChange.Grains.Tests.Storage;

/// <summary>The grain-state SQL of migration 0001 honours the Orleans 10.4.2 provider contract.</summary>
public sealed class GrainStateStorageTests(TestCluster cluster) : IClassFixture<TestCluster>
{
    [Fact]
    public async Task state_survives_deactivation()
    {
        var grain = cluster.Grains.GetGrain<IProbeGrain>(Guid.NewGuid());
        await grain.Write("first");
        await grain.Write("second");
        await grain.Deactivate();
        Assert.Equal("second", await grain.Read());
    }

    [Fact]
    public async Task a_write_with_a_stale_version_is_a_version_conflict()
    {
        var id = Guid.NewGuid();
        var grain = cluster.Grains.GetGrain<IProbeGrain>(id);
        await grain.Write("mine");
        // Another writer moved the row on behind this activation's back.
        await Execute($"update orleans_storage set version = version + 1 where {RowOf(id)}");
        await Assert.ThrowsAsync<Orleans.Storage.InconsistentStateException>(() => grain.Write("stale"));
    }

    [Fact]
    public async Task cleared_state_reads_empty_and_can_be_written_again()
    {
        var grain = cluster.Grains.GetGrain<IProbeGrain>(Guid.NewGuid());
        await grain.Write("value");
        await grain.Clear();
        await grain.Deactivate();
        Assert.Null(await grain.Read());
        await grain.Write("again");
        await grain.Deactivate();
        Assert.Equal("again", await grain.Read());
    }

    [Fact]
    public async Task each_grain_has_exactly_one_state_row()
    {
        var id = Guid.NewGuid();
        var grain = cluster.Grains.GetGrain<IProbeGrain>(id);
        for (var i = 0; i < 5; i++) await grain.Write($"v{i}");
        await grain.Deactivate();
        await grain.Write("after");
        Assert.Equal(1L, await Scalar($"select count(*) from orleans_storage where {RowOf(id)}"));
    }

    // Orleans stores a Guid key as the two little-endian 64-bit halves of Guid.ToByteArray().
    private static string RowOf(Guid id)
    {
        var bytes = id.ToByteArray();
        return $"state_name = 'probe' and grain_id_n0 = {BitConverter.ToInt64(bytes, 0)} and grain_id_n1 = {BitConverter.ToInt64(bytes, 8)}";
    }

    private Task Execute(string sql) => Sql.ExecuteAsync(cluster.Postgres, sql);

    private async Task<long> Scalar(string sql) => await Sql.ScalarAsync<long>(cluster.Postgres, sql);
}
