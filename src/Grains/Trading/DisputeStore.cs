using Npgsql;
using NpgsqlTypes;

namespace NeXChange.Trading;

/// <summary>The disputes projection (migration 0015), written by the TradeGrain after its own state.</summary>
public sealed class DisputeStore(NpgsqlDataSource dataSource)
{
    public sealed record QueueRow(Guid Id, Guid TradeId, bool Escalated, DateTimeOffset CreatedAt);

    public async Task SaveAsync(Guid tradeId, DisputeRecord d, long version)
    {
        await using var command = dataSource.CreateCommand("""
            insert into disputes (id, trade_id, opened_by, status, escalated, created_at, resolved_at, version, evidence_prefixes)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            on conflict (id) do update set status = excluded.status, escalated = excluded.escalated,
                resolved_at = excluded.resolved_at, version = excluded.version, evidence_prefixes = excluded.evidence_prefixes
            where disputes.version < excluded.version
            """);
        var p = command.Parameters;
        p.Add(new() { Value = d.Id });
        p.Add(new() { Value = tradeId });
        p.Add(new() { Value = d.OpenedBy });
        p.Add(new() { Value = d.Status });
        p.Add(new() { Value = d.Escalated });
        p.Add(new() { Value = d.CreatedAt });
        p.Add(new() { Value = (object?)d.ResolvedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(new() { Value = version });
        p.Add(new() { Value = (d.Evidence ?? []).Concat(d.Response?.Evidence ?? []).Select(e => e.KeyPrefix).ToArray() });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Disputes <paramref name="userId"/> opened since <paramref name="since"/> (the monthly cap, SPEC.md 6.2 T21).</summary>
    public async Task<int> OpenedSinceAsync(Guid userId, DateTimeOffset since)
    {
        await using var command = dataSource.CreateCommand("select count(*) from disputes where opened_by = $1 and created_at >= $2");
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = since });
        return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<Guid?> TradeOfAsync(Guid disputeId)
    {
        await using var command = dataSource.CreateCommand("select trade_id from disputes where id = $1");
        command.Parameters.Add(new() { Value = disputeId });
        return await command.ExecuteScalarAsync() is Guid id ? id : null;
    }

    /// <summary>Escalated first, then oldest (SPEC.md 6.8), after the keyset position <paramref name="after"/>.</summary>
    public async Task<List<QueueRow>> QueueAsync(string? status, bool? escalated, QueueRow? after, int limit)
    {
        await using var command = dataSource.CreateCommand("""
            select id, trade_id, escalated, created_at from disputes
            where ($1::text is null or status = $1) and ($2::boolean is null or escalated = $2)
              and ($3::uuid is null or (not escalated, created_at, id) > (not $4, $5, $3))
            order by not escalated, created_at, id limit $6
            """);
        var p = command.Parameters;
        p.Add(new() { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new() { Value = (object?)escalated ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Boolean });
        p.Add(new() { Value = (object?)after?.Id ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        p.Add(new() { Value = after?.Escalated ?? false });
        p.Add(new() { Value = (object?)after?.CreatedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(new() { Value = limit });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<QueueRow>();
        while (await reader.ReadAsync())
            rows.Add(new QueueRow(reader.GetGuid(0), reader.GetGuid(1), reader.GetBoolean(2), reader.GetFieldValue<DateTimeOffset>(3)));
        return rows;
    }

    /// <summary>Moderators and admins, who are told about new and escalated disputes.</summary>
    public async Task<List<Guid>> ModeratorIdsAsync()
    {
        await using var command = dataSource.CreateCommand(
            "select id from users where role in ('moderator', 'admin') and deleted_at is null order by id limit 1000");
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<Guid>();
        while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));
        return ids;
    }
}
