using Npgsql;
using NpgsqlTypes;

namespace NeXChange.Audit;

/// <summary>Pages of audit_log under the admin filters, newest (highest id) first; migration 0017 indexes each filter.</summary>
public sealed class AuditLogReader(NpgsqlDataSource dataSource)
{
    public async Task<IReadOnlyList<AuditLogEntry>> ListAsync(AuditFilter filter, long? beforeId, int take)
    {
        await using var command = dataSource.CreateCommand();
        var conditions = new List<string>();
        void Where(string column, object? value, NpgsqlDbType type)
        {
            if (value is null) return;
            command.Parameters.Add(new() { Value = value, NpgsqlDbType = type });
            conditions.Add($"{column} = ${command.Parameters.Count}");
        }
        Where("entity_type", filter.EntityType, NpgsqlDbType.Text);
        Where("entity_id", filter.EntityId, NpgsqlDbType.Text);
        Where("action", filter.Action, NpgsqlDbType.Text);
        Where("actor_id", filter.ActorId, NpgsqlDbType.Uuid);
        if (beforeId is not null)
        {
            command.Parameters.Add(new() { Value = beforeId.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
            conditions.Add($"id < ${command.Parameters.Count}");
        }
        command.Parameters.Add(new() { Value = take, NpgsqlDbType = NpgsqlDbType.Integer });
        command.CommandText = $"""
            select id, at, actor_id, action, entity_type, entity_id, data::text, ip from audit_log
            {(conditions.Count == 0 ? "" : "where " + string.Join(" and ", conditions))}
            order by id desc limit ${command.Parameters.Count}
            """;

        var rows = new List<AuditLogEntry>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add(new AuditLogEntry(reader.GetInt64(0), reader.GetFieldValue<DateTimeOffset>(1),
                reader.IsDBNull(2) ? null : reader.GetGuid(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7)));
        return rows;
    }
}
