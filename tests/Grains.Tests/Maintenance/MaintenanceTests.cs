using Microsoft.Extensions.DependencyInjection;
using NeXChange.Maintenance;
using NeXChange.Storage;
using NeXChange.TestSupport;
using Npgsql;

namespace NeXChange.Grains.Tests.Maintenance;

public sealed class MaintenanceCluster : TestCluster
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:SigningKey"] = new string('k', 48),
        ["App:PublicBaseUrl"] = "http://127.0.0.1",
    };
}

public sealed class MaintenanceTests(MaintenanceCluster cluster) : IClassFixture<MaintenanceCluster>
{
    private IBlobStore Blobs => cluster.SiloServices().GetRequiredService<IBlobStore>();

    [Fact]
    public async Task the_daily_run_deletes_only_old_unreferenced_blobs()
    {
        var userId = Guid.CreateVersion7();
        var kept = await cluster.PutAgedBlobAsync($"private/profiles/{userId:N}/aaaa/master.jpg", TimeSpan.FromDays(3));
        var orphan = await cluster.PutAgedBlobAsync($"items/{new string('b', 64)}/master.jpg", TimeSpan.FromDays(3));
        var fresh = await cluster.PutAgedBlobAsync($"items/{new string('c', 64)}/master.jpg", TimeSpan.FromHours(1));
        await using (var connection = new NpgsqlConnection(cluster.Postgres))
        {
            await connection.OpenAsync();
            await using var insert = new NpgsqlCommand("""
                insert into users (id, email, display_name, display_name_generated_at, created_at, updated_at, photo)
                values ($1, $2, 'KeptPhoto_1234', now(), now(), now(), $3::jsonb)
                """, connection);
            insert.Parameters.Add(new() { Value = userId });
            insert.Parameters.Add(new() { Value = $"{userId:N}@example.org" });
            insert.Parameters.Add(new() { Value = $$"""{"sha256":"aaaa","width":1,"height":1,"keyPrefix":"private/profiles/{{userId:N}}/aaaa"}""" });
            await insert.ExecuteNonQueryAsync();
        }

        var report = await cluster.Grains.GetGrain<IMaintenanceGrain>(0).RunDaily();

        Assert.True(report.LedgerOk);
        Assert.Equal(1, report.OrphanBlobsDeleted);
        Assert.True(await Blobs.ExistsAsync(kept));
        Assert.False(await Blobs.ExistsAsync(orphan));
        Assert.True(await Blobs.ExistsAsync(fresh));
    }

    [Fact]
    public async Task notifications_older_than_180_days_are_deleted_and_newer_ones_kept_however_often_it_runs()
    {
        var userId = Guid.CreateVersion7();
        var (old, recent) = (Guid.CreateVersion7(), Guid.CreateVersion7());
        await using (var connection = new NpgsqlConnection(cluster.Postgres))
        {
            await connection.OpenAsync();
            await using var user = new NpgsqlCommand("""
                insert into users (id, email, display_name, display_name_generated_at, created_at, updated_at)
                values ($1, $2, 'Retained_4321', now(), now(), now())
                """, connection);
            user.Parameters.Add(new() { Value = userId });
            user.Parameters.Add(new() { Value = $"{userId:N}@example.org" });
            await user.ExecuteNonQueryAsync();
            foreach (var (id, days) in new[] { (old, 181), (recent, 179) })
            {
                await using var insert = new NpgsqlCommand("""
                    insert into notifications (id, recipient_id, event_id, type, data, created_at)
                    values ($1, $2, $3, 'transfer_received', '{}', now() - make_interval(days => $4))
                    """, connection);
                insert.Parameters.Add(new() { Value = id });
                insert.Parameters.Add(new() { Value = userId });
                insert.Parameters.Add(new() { Value = Guid.NewGuid() });
                insert.Parameters.Add(new() { Value = days });
                await insert.ExecuteNonQueryAsync();
            }
        }

        var first = await cluster.Grains.GetGrain<IMaintenanceGrain>(0).RunDaily();
        var second = await cluster.Grains.GetGrain<IMaintenanceGrain>(0).RunDaily();

        Assert.Equal((1, 0), (first.NotificationsDeleted, second.NotificationsDeleted));
        Assert.Equal([recent], await Ids(userId));
    }

    private async Task<List<Guid>> Ids(Guid recipient)
    {
        await using var connection = new NpgsqlConnection(cluster.Postgres);
        await connection.OpenAsync();
        await using var select = new NpgsqlCommand("select id from notifications where recipient_id = $1", connection);
        select.Parameters.Add(new() { Value = recipient });
        await using var reader = await select.ExecuteReaderAsync();
        var ids = new List<Guid>();
        while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));
        return ids;
    }

    [Fact]
    public async Task scheduling_registers_one_daily_reminder()
    {
        var grain = cluster.Grains.GetGrain<IMaintenanceGrain>(0);
        await grain.EnsureScheduled();
        await grain.EnsureScheduled();
        await using var connection = new NpgsqlConnection(cluster.Postgres);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("select count(*), max(period_ms) from orleans_reminders where reminder_name = 'daily'", connection);
        await using var reader = await count.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal(1L, reader.GetInt64(0));
        Assert.Equal((long)TimeSpan.FromDays(1).TotalMilliseconds, reader.GetInt64(1));
    }
}
