using NeXChange.Credits;
using NeXChange.Errors;
using Npgsql;
using NpgsqlTypes;

namespace NeXChange.Conversion;

/// <summary>
/// Writes conversion rows inside a caller's database transaction: the ledger writer's, so a conversion's status and
/// the posting that moves its credits commit together, or the store's own when no credits move.
/// </summary>
public static class ConversionRows
{
    public static Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ConversionChange change, DateTimeOffset at,
        CancellationToken cancellationToken) => change switch
    {
        OpenConversion open => InsertAsync(connection, transaction, open.Row, cancellationToken),
        EndConversion end => EndAsync(connection, transaction, end, at, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(change)),
    };

    /// <summary>Uses the quote (once: <c>quote_used</c> otherwise) and inserts the conversion.</summary>
    public static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ConversionRecord row,
        CancellationToken cancellationToken)
    {
        await using (var use = new NpgsqlCommand(
            "update conversion_quotes set used_at = $2 where id = $1 and user_id = $3 and used_at is null", connection, transaction))
        {
            use.Parameters.Add(new() { Value = row.QuoteId });
            use.Parameters.Add(new() { Value = row.CreatedAt });
            use.Parameters.Add(new() { Value = row.UserId });
            if (await use.ExecuteNonQueryAsync(cancellationToken) == 0) throw QuoteUsed();
        }
        await using var insert = new NpgsqlCommand("""
            insert into conversions (id, user_id, quote_id, direction, amount_minor, btc_sats, rate_minor_per_btc, status,
                                     payout_address, deposit_address, deposit_expires_at, created_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
            """, connection, transaction);
        foreach (var value in new object?[] { row.Id, row.UserId, row.QuoteId, row.Direction, row.AmountMinor, row.BtcSats,
                     row.RateMinorPerBtc, row.Status })
            insert.Parameters.Add(new() { Value = value });
        insert.Parameters.Add(new() { Value = (object?)row.PayoutAddress ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        insert.Parameters.Add(new() { Value = (object?)row.DepositAddress ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        insert.Parameters.Add(new() { Value = (object?)row.DepositExpiresAt ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        insert.Parameters.Add(new() { Value = row.CreatedAt });
        await insert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Ends (or expires) a conversion that has not ended; <c>invalid_transition</c> with its status otherwise.</summary>
    public static async Task EndAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, EndConversion end, DateTimeOffset at,
        CancellationToken cancellationToken)
    {
        var from = end.Status == ConversionStatuses.Expired
            ? new[] { ConversionStatuses.AwaitingDeposit }
            : [ConversionStatuses.PendingPayout, ConversionStatuses.AwaitingDeposit, ConversionStatuses.Expired];
        await using var command = new NpgsqlCommand("""
            with ended as (
                update conversions
                set status = $2, partner_tx_id = coalesce($3, partner_tx_id), failure_reason = $4,
                    completed_at = case when $2 in ('completed', 'failed') then $5 end
                where id = $1 and status = any($6)
                returning 1)
            select (select count(*) from ended), (select status from conversions where id = $1)
            """, connection, transaction);
        command.Parameters.Add(new() { Value = end.ConversionId });
        command.Parameters.Add(new() { Value = end.Status });
        command.Parameters.Add(new() { Value = (object?)end.PartnerTxId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)end.FailureReason ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = at });
        command.Parameters.Add(new() { Value = from });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (reader.GetInt64(0) == 1) return;
        if (reader.IsDBNull(1)) throw DomainException.NotFound();
        throw Refusals.InvalidTransition(reader.GetString(1));
    }

    public static DomainException QuoteUsed() => new(ErrorCodes.QuoteUsed, "This quote was already executed.");
}
