using Npgsql;

namespace NeXChange.Conversion;

/// <summary>The conversions and custody_events tables (migration 0024); reads are scoped to the owner.</summary>
public sealed class ConversionStore(NpgsqlDataSource dataSource)
{
    private const string Columns = """
        id, user_id, quote_id, direction, amount_minor, btc_sats, rate_minor_per_btc, status, payout_address, deposit_address,
        deposit_expires_at, partner_tx_id, failure_reason, payout_attempts, payout_accepted_at, created_at, completed_at
        """;

    /// <summary>A top-up: uses the quote and inserts the conversion (no credits move until the deposit is confirmed).</summary>
    public async Task InsertAsync(ConversionRecord row)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ConversionRows.InsertAsync(connection, transaction, row, CancellationToken.None);
        await transaction.CommitAsync();
    }

    /// <summary>A status change that moves no credits (underpaid, deposit failed, expired).</summary>
    public async Task EndAsync(EndConversion end, DateTimeOffset at)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await ConversionRows.EndAsync(connection, transaction, end, at, CancellationToken.None);
        await transaction.CommitAsync();
    }

    public async Task<ConversionRecord?> FindAsync(Guid userId, Guid conversionId) =>
        (await QueryAsync($"select {Columns} from conversions where id = $1 and user_id = $2", conversionId, userId)).SingleOrDefault();

    public async Task<Guid?> FindOwnerAsync(Guid conversionId)
    {
        await using var command = dataSource.CreateCommand("select user_id from conversions where id = $1");
        command.Parameters.Add(new() { Value = conversionId });
        return await command.ExecuteScalarAsync() is Guid owner ? owner : null;
    }

    /// <summary>The user's conversions older than <paramref name="beforeId"/> (ids are UUIDv7: time order), newest first.</summary>
    public Task<IReadOnlyList<ConversionRecord>> ListAsync(Guid userId, Guid? beforeId, int limit) =>
        QueryAsync($"""
            select {Columns} from conversions
            where user_id = $1 and id < $2 order by id desc limit $3
            """, userId, beforeId ?? Guid.AllBitsSet, limit);

    /// <summary>
    /// Conversions of the user that still need this system to act: top-ups awaiting a deposit (they expire), and cash-outs
    /// the partner has not accepted yet with attempts left.
    /// </summary>
    public Task<IReadOnlyList<ConversionRecord>> OpenWorkAsync(Guid userId, int payoutAttempts) =>
        QueryAsync($"""
            select {Columns} from conversions
            where user_id = $1 and (status = 'awaiting_deposit'
                                    or status = 'pending_payout' and payout_accepted_at is null and payout_attempts < $2)
            order by id
            """, userId, payoutAttempts);

    /// <summary>Expires the user's top-ups whose deposit window has closed (SPEC.md 7.3); returns them as they were.</summary>
    public Task<IReadOnlyList<ConversionRecord>> ExpireDueAsync(Guid userId, DateTimeOffset now) =>
        QueryAsync($"""
            update conversions set status = 'expired'
            where user_id = $1 and status = 'awaiting_deposit' and deposit_expires_at <= $2
            returning {Columns}
            """, userId, now);

    public async Task<bool> HasInFlightAsync(Guid userId)
    {
        await using var command = dataSource.CreateCommand(
            "select exists (select 1 from conversions where user_id = $1 and status in ('pending_payout', 'awaiting_deposit'))");
        command.Parameters.Add(new() { Value = userId });
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The ledger transactions of each conversion, oldest first.</summary>
    public async Task<IReadOnlyDictionary<Guid, IReadOnlyList<Guid>>> TransactionIdsAsync(IReadOnlyCollection<Guid> conversionIds)
    {
        var result = conversionIds.ToDictionary(id => id, _ => new List<Guid>());
        await using var command = dataSource.CreateCommand(
            "select conversion_id, id from ledger.transactions where conversion_id = any($1) order by created_at, id");
        command.Parameters.Add(new() { Value = conversionIds.ToArray() });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) result[reader.GetGuid(0)].Add(reader.GetGuid(1));
        return result.ToDictionary(e => e.Key, IReadOnlyList<Guid> (e) => e.Value);
    }

    /// <summary>Counts a payout request that got no definitive answer; returns the count so far.</summary>
    public async Task<int> CountPayoutAttemptAsync(Guid conversionId)
    {
        await using var command = dataSource.CreateCommand(
            "update conversions set payout_attempts = payout_attempts + 1 where id = $1 returning payout_attempts");
        command.Parameters.Add(new() { Value = conversionId });
        return (int)(await command.ExecuteScalarAsync())!;
    }

    public async Task MarkPayoutAcceptedAsync(Guid conversionId, DateTimeOffset at)
    {
        await using var command = dataSource.CreateCommand(
            "update conversions set payout_accepted_at = $2 where id = $1 and status = 'pending_payout' and payout_accepted_at is null");
        command.Parameters.Add(new() { Value = conversionId });
        command.Parameters.Add(new() { Value = at });
        await command.ExecuteNonQueryAsync();
    }

    public async Task<bool> EventSeenAsync(string eventId)
    {
        await using var command = dataSource.CreateCommand("select exists (select 1 from custody_events where event_id = $1)");
        command.Parameters.Add(new() { Value = eventId });
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    public async Task RecordEventAsync(CustodyEvent custodyEvent, string outcome, DateTimeOffset at)
    {
        await using var command = dataSource.CreateCommand("""
            insert into custody_events (event_id, conversion_id, type, outcome, received_at) values ($1, $2, $3, $4, $5)
            on conflict (event_id) do nothing
            """);
        foreach (var value in new object[] { custodyEvent.EventId, custodyEvent.ConversionId, custodyEvent.Type, outcome, at })
            command.Parameters.Add(new() { Value = value });
        await command.ExecuteNonQueryAsync();
    }

    private async Task<IReadOnlyList<ConversionRecord>> QueryAsync(string sql, params object[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in parameters) command.Parameters.Add(new() { Value = value });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<ConversionRecord>();
        while (await reader.ReadAsync())
        {
            rows.Add(new ConversionRecord(reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetString(3), reader.GetInt64(4),
                reader.GetInt64(5), reader.GetInt64(6), reader.GetString(7), Text(reader, 8), Text(reader, 9), Time(reader, 10),
                Text(reader, 11), Text(reader, 12), reader.GetInt32(13), Time(reader, 14), reader.GetFieldValue<DateTimeOffset>(15),
                Time(reader, 16)));
        }
        return rows;
    }

    private static string? Text(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private static DateTimeOffset? Time(NpgsqlDataReader reader, int column) =>
        reader.IsDBNull(column) ? null : reader.GetFieldValue<DateTimeOffset>(column);
}
