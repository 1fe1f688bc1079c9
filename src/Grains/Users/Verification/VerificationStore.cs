using Npgsql;
using NpgsqlTypes;
using NeXChange.Audit;

namespace NeXChange.Users.Verification;

/// <summary>
/// Verification requests (migration 0016). Each change of a request also sets users.verification_status and writes
/// its audit row in the same transaction, so the request and the user's status never disagree.
/// </summary>
public sealed class VerificationStore(NpgsqlDataSource dataSource)
{
    public sealed record NewRequest(Guid Id, Guid UserId, string DocumentType, string DocumentPrefix, string DocumentKey, DateTimeOffset SubmittedAt);

    public sealed record QueueRow(Guid Id, Guid UserId, string DisplayName, string? FullName, DateOnly? DateOfBirth,
        string DocumentType, DateTimeOffset SubmittedAt, string Status, string? DocumentKey);

    public sealed record DueDocument(Guid Id, string DocumentPrefix);

    public async Task SubmitAsync(NewRequest request, AuditEntry audit)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand("""
            insert into verification_requests (id, user_id, status, document_type, document_prefix, document_key, submitted_at)
            values ($1, $2, 'pending', $3, $4, $5, $6)
            """, connection, transaction))
        {
            var p = insert.Parameters;
            p.Add(new() { Value = request.Id });
            p.Add(new() { Value = request.UserId });
            p.Add(new() { Value = request.DocumentType });
            p.Add(new() { Value = request.DocumentPrefix });
            p.Add(new() { Value = request.DocumentKey });
            p.Add(new() { Value = request.SubmittedAt });
            await insert.ExecuteNonQueryAsync();
        }
        await SetUserStatusAsync(connection, transaction, request.UserId, VerificationStates.Pending, request.SubmittedAt);
        await AuditLog.WriteAsync(connection, transaction, audit, request.SubmittedAt);
        await transaction.CommitAsync();
    }

    /// <summary>Decides the user's pending request; false when there is none (then nothing changed).</summary>
    public async Task<bool> DecideAsync(Guid userId, string status, Guid moderatorId, string? reason, AuditEntry audit, DateTimeOffset now)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var update = new NpgsqlCommand("""
            update verification_requests set status = $2, decided_at = $3, decided_by = $4, reason = $5
            where user_id = $1 and status = 'pending'
            """, connection, transaction))
        {
            var p = update.Parameters;
            p.Add(new() { Value = userId });
            p.Add(new() { Value = status });
            p.Add(new() { Value = now });
            p.Add(new() { Value = moderatorId });
            p.Add(new() { Value = (object?)reason ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            if (await update.ExecuteNonQueryAsync() == 0) return false;
        }
        await SetUserStatusAsync(connection, transaction, userId, status, now);
        await AuditLog.WriteAsync(connection, transaction, audit, now);
        await transaction.CommitAsync();
        return true;
    }

    /// <summary>
    /// Requests of one status, oldest first, after the keyset position (submittedAt, id). A deleted account's requests
    /// leave the queue: their documents are gone and the account can no longer be decided on.
    /// </summary>
    public async Task<List<QueueRow>> QueueAsync(string status, (DateTimeOffset SubmittedAt, Guid Id)? after, int limit)
    {
        await using var command = dataSource.CreateCommand("""
            select r.id, r.user_id, u.display_name, u.full_name, u.date_of_birth, r.document_type, r.submitted_at, r.status,
                   case when r.document_deleted_at is null then r.document_key end
            from verification_requests r join users u on u.id = r.user_id
            where r.status = $1 and u.deleted_at is null and ($2::timestamptz is null or (r.submitted_at, r.id) > ($2, $3))
            order by r.submitted_at, r.id limit $4
            """);
        var p = command.Parameters;
        p.Add(new() { Value = status });
        p.Add(new() { Value = (object?)after?.SubmittedAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        p.Add(new() { Value = (object?)after?.Id ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        p.Add(new() { Value = limit });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<QueueRow>();
        while (await reader.ReadAsync())
            rows.Add(new QueueRow(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateOnly>(4),
                reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8)));
        return rows;
    }

    /// <summary>Documents still stored whose request was decided at or before <paramref name="decidedBy"/>.</summary>
    public async Task<List<DueDocument>> DueDocumentsAsync(DateTimeOffset decidedBy, int limit)
    {
        await using var command = dataSource.CreateCommand("""
            select id, document_prefix from verification_requests
            where document_deleted_at is null and decided_at <= $1 order by decided_at, id limit $2
            """);
        command.Parameters.Add(new() { Value = decidedBy });
        command.Parameters.Add(new() { Value = limit });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<DueDocument>();
        while (await reader.ReadAsync()) rows.Add(new DueDocument(reader.GetGuid(0), reader.GetString(1)));
        return rows;
    }

    /// <summary>Every document of the user still stored, decided or not (a DSR delete removes them all).</summary>
    public async Task<List<DueDocument>> DocumentsOfAsync(Guid userId)
    {
        await using var command = dataSource.CreateCommand(
            "select id, document_prefix from verification_requests where user_id = $1 and document_deleted_at is null");
        command.Parameters.Add(new() { Value = userId });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<DueDocument>();
        while (await reader.ReadAsync()) rows.Add(new DueDocument(reader.GetGuid(0), reader.GetString(1)));
        return rows;
    }

    public async Task MarkDocumentDeletedAsync(Guid requestId, DateTimeOffset now)
    {
        await using var command = dataSource.CreateCommand(
            "update verification_requests set document_deleted_at = $2 where id = $1 and document_deleted_at is null");
        command.Parameters.Add(new() { Value = requestId });
        command.Parameters.Add(new() { Value = now });
        await command.ExecuteNonQueryAsync();
    }

    private static async Task SetUserStatusAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid userId, string status, DateTimeOffset now)
    {
        await using var command = new NpgsqlCommand("update users set verification_status = $2, updated_at = $3 where id = $1", connection, transaction);
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = status });
        command.Parameters.Add(new() { Value = now });
        await command.ExecuteNonQueryAsync();
    }
}
