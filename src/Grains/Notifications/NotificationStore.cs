using Npgsql;
using NpgsqlTypes;

namespace NeXChange.Notifications;

/// <summary>SQL for the notifications table: the publisher inserts, the feed grain reads and marks read.</summary>
public sealed class NotificationStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "id, type, trade_id, item_id, data::text, created_at, read_at";

    /// <summary>
    /// One row per recipient in one statement; recipients with no live account get none. Returns the recipients
    /// whose row was really inserted: a retried event conflicts on (recipient, event) and returns nobody.
    /// </summary>
    public async Task<IReadOnlyList<Guid>> InsertAsync(NotificationEvent notification, IReadOnlyList<Guid> recipients, string dataJson, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await InsertAsync(connection, null, notification, recipients, dataJson, now);
    }

    /// <summary>The same insert inside the caller's transaction (a ledger posting's, so the entry exists exactly when it does).</summary>
    public static async Task<IReadOnlyList<Guid>> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        NotificationEvent notification, IReadOnlyList<Guid> recipients, string dataJson, DateTimeOffset now)
    {
        await using var command = new NpgsqlCommand(InsertSql, connection, transaction);
        AddInsertParameters(command.Parameters, notification, recipients, dataJson, now);
        await using var reader = await command.ExecuteReaderAsync();
        var inserted = new List<Guid>();
        while (await reader.ReadAsync()) inserted.Add(reader.GetGuid(0));
        return inserted;
    }

    private const string InsertSql = """
        insert into notifications (id, recipient_id, event_id, type, trade_id, item_id, data, created_at)
        select r.id, r.recipient_id, $3, $4, $5, $6, $7, $8
        from unnest($1::uuid[], $2::uuid[]) as r (id, recipient_id)
        where exists (select from users u where u.id = r.recipient_id and u.deleted_at is null)
        on conflict (recipient_id, event_id) do nothing
        returning recipient_id
        """;

    private static void AddInsertParameters(NpgsqlParameterCollection parameters, NotificationEvent notification, IReadOnlyList<Guid> recipients,
        string dataJson, DateTimeOffset now)
    {
        parameters.Add(new() { Value = recipients.Select(_ => FeedIds.Next(now)).ToArray() });
        parameters.Add(new() { Value = recipients.ToArray() });
        parameters.Add(new() { Value = notification.EventId });
        parameters.Add(new() { Value = notification.Type });
        parameters.Add(new() { Value = (object?)notification.TradeId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        parameters.Add(new() { Value = (object?)notification.ItemId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        parameters.Add(new() { Value = dataJson, NpgsqlDbType = NpgsqlDbType.Jsonb });
        parameters.Add(new() { Value = now });
    }

    /// <summary>The recipient's entries older than <paramref name="beforeId"/> (all when null), newest first.</summary>
    public async Task<IReadOnlyList<Notification>> ListAsync(Guid recipientId, bool unreadOnly, Guid? beforeId, int count)
    {
        // Two literal filters rather than parameters, so the planner can pick the partial unread index.
        var unread = unreadOnly ? "and read_at is null" : "";
        var before = beforeId is null ? "" : "and id < $3";
        await using var command = dataSource.CreateCommand($"""
            select {Columns} from notifications
            where recipient_id = $1 {unread} {before}
            order by id desc limit $2
            """);
        command.Parameters.Add(new() { Value = recipientId });
        command.Parameters.Add(new() { Value = count });
        if (beforeId is { } id) command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Notification>();
        while (await reader.ReadAsync())
        {
            rows.Add(new Notification(reader.GetGuid(0), reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetGuid(2), reader.IsDBNull(3) ? null : reader.GetGuid(3), reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5), reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6)));
        }
        return rows;
    }

    public async Task<int> CountUnreadAsync(Guid recipientId)
    {
        await using var command = dataSource.CreateCommand("select count(*) from notifications where recipient_id = $1 and read_at is null");
        command.Parameters.Add(new() { Value = recipientId });
        return (int)(long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Marks unread entries read; <paramref name="ids"/> null means all. Other recipients' ids match no row.</summary>
    public async Task MarkReadAsync(Guid recipientId, IReadOnlyList<Guid>? ids, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand($"""
            update notifications set read_at = $2
            where recipient_id = $1 and read_at is null {(ids is null ? "" : "and id = any($3)")}
            """);
        command.Parameters.Add(new() { Value = recipientId });
        command.Parameters.Add(new() { Value = now });
        if (ids is not null) command.Parameters.Add(new() { Value = ids.ToArray() });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Retention (SPEC.md 3.11): notifications are kept 180 days; idempotent, so a repeated run deletes nothing more.</summary>
    public async Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff)
    {
        await using var command = dataSource.CreateCommand("delete from notifications where created_at < $1");
        command.Parameters.Add(new() { Value = cutoff });
        return await command.ExecuteNonQueryAsync();
    }
}
