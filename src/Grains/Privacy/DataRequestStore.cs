using Npgsql;
using NpgsqlTypes;
using NeXChange.Audit;
using NeXChange.Errors;

namespace NeXChange.Privacy;

/// <summary>The data_requests table (0019): written by each user's DataRequestsGrain, read by the moderators' queue.</summary>
public sealed class DataRequestStore(NpgsqlDataSource dataSource)
{
    /// <summary>One row as stored; the view adds <c>overdue</c>, which depends on the time it is read.</summary>
    public sealed record Row(
        Guid Id, Guid UserId, string Type, string Status, DateTimeOffset CreatedAt, DateTimeOffset SlaDeadline,
        DateTimeOffset? CompletedAt, string? FailureReason, string? ArchiveKey, DateTimeOffset? ArchiveExpiresAt)
    {
        public DataRequestView View(DateTimeOffset now) => new(Id, Type, Status, CreatedAt, SlaDeadline,
            Overdue: (CompletedAt ?? now) > SlaDeadline, CompletedAt, FailureReason, ArchiveExpiresAt);
    }

    private const string Columns =
        "r.id, r.user_id, r.type, r.status, r.created_at, r.sla_deadline, r.completed_at, r.failure_reason, r.archive_key, r.archive_expires_at";

    /// <summary>Inserts the request with its audit row; <c>request_in_progress</c> when one of its type is open.</summary>
    public async Task InsertAsync(Row row, IReadOnlyList<AuditEntry> audit)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var command = new NpgsqlCommand("""
            insert into data_requests (id, user_id, type, status, created_at, sla_deadline, completed_at)
            values ($1, $2, $3, $4, $5, $6, $7)
            """, connection, transaction))
        {
            var p = command.Parameters;
            p.Add(new() { Value = row.Id });
            p.Add(new() { Value = row.UserId });
            p.Add(new() { Value = row.Type });
            p.Add(new() { Value = row.Status });
            p.Add(new() { Value = row.CreatedAt });
            p.Add(new() { Value = row.SlaDeadline });
            p.Add(new() { Value = (object?)row.CompletedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            try
            {
                await command.ExecuteNonQueryAsync();
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "data_requests_one_open")
            {
                throw new DomainException(ErrorCodes.RequestInProgress, $"A {row.Type} request is already in progress.");
            }
        }
        foreach (var entry in audit) await AuditLog.WriteAsync(connection, transaction, entry, row.CreatedAt);
        await transaction.CommitAsync();
    }

    public async Task<List<Row>> ListAsync(Guid userId, bool openOnly = false)
    {
        await using var command = dataSource.CreateCommand($"""
            select {Columns} from data_requests r
            where r.user_id = $1 and (not $2 or r.status in ('received', 'processing'))
            order by r.created_at desc, r.id desc
            """);
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = openOnly });
        return await ReadAsync(command);
    }

    public async Task<Row?> GetAsync(Guid userId, Guid requestId)
    {
        await using var command = dataSource.CreateCommand($"select {Columns} from data_requests r where r.user_id = $1 and r.id = $2");
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = requestId });
        return (await ReadAsync(command)).SingleOrDefault();
    }

    public async Task MarkProcessingAsync(Guid requestId)
    {
        await using var command = dataSource.CreateCommand(
            "update data_requests set status = 'processing' where id = $1 and status = 'received'");
        command.Parameters.Add(new() { Value = requestId });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Closes an open request as completed or failed, with its audit row; a closed one is left as it is.</summary>
    public async Task FinishAsync(Guid requestId, string status, string? failureReason, string? archiveKey,
        DateTimeOffset? archiveExpiresAt, AuditEntry audit, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = new NpgsqlCommand("""
            update data_requests set status = $2, failure_reason = $3, archive_key = $4, archive_expires_at = $5, completed_at = $6
            where id = $1 and status in ('received', 'processing')
            """, connection, transaction);
        var p = command.Parameters;
        p.Add(new() { Value = requestId });
        p.Add(new() { Value = status });
        p.Add(new() { Value = (object?)failureReason ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new() { Value = (object?)archiveKey ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new() { Value = (object?)archiveExpiresAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(new() { Value = now });
        if (await command.ExecuteNonQueryAsync() == 0) return;
        await AuditLog.WriteAsync(connection, transaction, audit, now);
        await transaction.CommitAsync();
    }

    /// <summary>The queue of SPEC.md 8.6 after the keyset position: by deadline, so overdue requests come first.</summary>
    public async Task<List<(Row Row, string DisplayName)>> QueueAsync(string? status, string? type,
        (DateTimeOffset Deadline, Guid Id)? after, int limit)
    {
        await using var command = dataSource.CreateCommand($"""
            select {Columns}, u.display_name from data_requests r join users u on u.id = r.user_id
            where ($1::text is null or r.status = $1) and ($2::text is null or r.type = $2)
              and ($3::timestamptz is null or (r.sla_deadline, r.id) > ($3, $4))
            order by r.sla_deadline, r.id limit $5
            """);
        var p = command.Parameters;
        p.Add(new() { Value = (object?)status ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new() { Value = (object?)type ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new() { Value = (object?)after?.Deadline ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(new() { Value = (object?)after?.Id ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        p.Add(new() { Value = limit });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(Row, string)>();
        while (await reader.ReadAsync()) rows.Add((Read(reader), reader.GetString(10)));
        return rows;
    }

    /// <summary>Archives whose 7 days have passed (SPEC.md 3.11), oldest first.</summary>
    public async Task<List<(Guid Id, string Key)>> ExpiredArchivesAsync(DateTimeOffset now, int limit)
    {
        await using var command = dataSource.CreateCommand("""
            select id, archive_key from data_requests where archive_key is not null and archive_expires_at <= $1
            order by archive_expires_at limit $2
            """);
        command.Parameters.Add(new() { Value = now });
        command.Parameters.Add(new() { Value = limit });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(Guid, string)>();
        while (await reader.ReadAsync()) rows.Add((reader.GetGuid(0), reader.GetString(1)));
        return rows;
    }

    /// <summary>The archive's blob is gone: the request keeps its record, without a key.</summary>
    public async Task ForgetArchiveAsync(Guid requestId)
    {
        await using var command = dataSource.CreateCommand("update data_requests set archive_key = null where id = $1");
        command.Parameters.Add(new() { Value = requestId });
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<Row>> ReadAsync(NpgsqlCommand command)
    {
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Row>();
        while (await reader.ReadAsync()) rows.Add(Read(reader));
        return rows;
    }

    private static Row Read(NpgsqlDataReader r) => new(
        r.GetGuid(0), r.GetGuid(1), r.GetString(2), r.GetString(3), r.GetFieldValue<DateTimeOffset>(4), r.GetFieldValue<DateTimeOffset>(5),
        r.IsDBNull(6) ? null : r.GetFieldValue<DateTimeOffset>(6), r.IsDBNull(7) ? null : r.GetString(7),
        r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9));
}
