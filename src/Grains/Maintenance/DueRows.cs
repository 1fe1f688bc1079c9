using Npgsql;
using NpgsqlTypes;

namespace NeXChange.Maintenance;

/// <summary>
/// Walks the rows a retention rule finds due, in (time, id) order a page at a time, and hands each id to the grain
/// that owns it. Keyset paging: a row its grain declines (not due by its own state) is passed, never met again.
/// </summary>
public sealed class DueRows(NpgsqlDataSource dataSource)
{
    private const int Page = 500;

    /// <summary>
    /// <paramref name="sql"/> selects (time, id) below the cutoff $1 after the position ($2, $3), ordered, limit $4.
    /// Returns how many ids <paramref name="purge"/> reported purged.
    /// </summary>
    public async Task<int> SweepAsync(string sql, DateTimeOffset cutoff, Func<Guid, Task<bool>> purge)
    {
        var purged = 0;
        (DateTimeOffset At, Guid Id)? after = null;
        while (true)
        {
            var page = await PageAsync(sql, cutoff, after);
            foreach (var (_, id) in page)
                if (await purge(id)) purged++;
            if (page.Count < Page) return purged;
            after = page[^1];
        }
    }

    private async Task<List<(DateTimeOffset At, Guid Id)>> PageAsync(string sql, DateTimeOffset cutoff, (DateTimeOffset At, Guid Id)? after)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new() { Value = cutoff });
        command.Parameters.Add(new() { Value = (object?)after?.At ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = (object?)after?.Id ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        command.Parameters.Add(new() { Value = Page });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(DateTimeOffset, Guid)>();
        while (await reader.ReadAsync()) rows.Add((reader.GetFieldValue<DateTimeOffset>(0), reader.GetGuid(1)));
        return rows;
    }
}
