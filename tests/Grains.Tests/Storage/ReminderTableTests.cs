using Microsoft.Extensions.DependencyInjection;
using NeXChange.TestSupport;

namespace NeXChange.Grains.Tests.Storage;

/// <summary>The reminder SQL of migration 0001 honours the Orleans 10.4.2 reminder-table contract.</summary>
public sealed class ReminderTableTests(TestCluster cluster) : IClassFixture<TestCluster>
{
    private IReminderTable Table => cluster.SiloServices().GetRequiredService<IReminderTable>();

    private static ReminderEntry Entry(GrainId grain, string name, TimeSpan period) => new()
    {
        GrainId = grain,
        ReminderName = name,
        StartAt = new DateTime(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc),
        Period = period,
    };

    private static GrainId NewGrain() => GrainId.Create("trade", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task an_upserted_reminder_reads_back_with_its_times_and_a_new_etag_on_update()
    {
        var grain = NewGrain();
        var first = await Table.UpsertRow(Entry(grain, "expiry", TimeSpan.FromMinutes(5)));
        // Periods beyond int32 milliseconds arrive as bigint.
        var second = await Table.UpsertRow(Entry(grain, "expiry", TimeSpan.FromDays(30)));
        Assert.NotEqual(first, second);

        var row = await Table.ReadRow(grain, "expiry");
        Assert.NotNull(row);
        Assert.Equal(TimeSpan.FromDays(30), row.Period);
        Assert.Equal(new DateTime(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc), row.StartAt.ToUniversalTime());
        Assert.Equal(second, row.ETag);
    }

    [Fact]
    public async Task removal_needs_the_current_etag()
    {
        var grain = NewGrain();
        var etag = await Table.UpsertRow(Entry(grain, "auto-complete", TimeSpan.FromMinutes(1)));
        Assert.False(await Table.RemoveRow(grain, "auto-complete", "999999"));
        Assert.True(await Table.RemoveRow(grain, "auto-complete", etag!));
        Assert.Null(await Table.ReadRow(grain, "auto-complete"));
    }

    [Fact]
    public async Task a_full_ring_range_returns_every_reminder_and_a_grain_read_returns_its_own()
    {
        var grain = NewGrain();
        await Table.UpsertRow(Entry(grain, "a", TimeSpan.FromMinutes(1)));
        await Table.UpsertRow(Entry(grain, "b", TimeSpan.FromMinutes(1)));
        Assert.Equal(2, (await Table.ReadRows(grain)).Reminders.Count);

        var hash = grain.GetUniformHashCode();
        var all = await Table.ReadRows(hash, hash);
        Assert.Contains(all.Reminders, r => r.GrainId == grain && r.ReminderName == "a");
        var justThis = await Table.ReadRows(hash - 1, hash);
        Assert.All(justThis.Reminders, r => Assert.Equal(hash, r.GrainId.GetUniformHashCode()));
        Assert.Equal(2, justThis.Reminders.Count(r => r.GrainId == grain));
    }
}
