using Npgsql;

namespace NeXChange.Conversion;

/// <summary>The quotes table (migration 0023); every read is scoped to the owner, so a foreign quote id finds nothing.</summary>
public sealed class QuoteStore(NpgsqlDataSource dataSource)
{
    public async Task InsertAsync(Guid userId, Quote quote)
    {
        await using var command = dataSource.CreateCommand("""
            insert into conversion_quotes (id, user_id, direction, amount_minor, btc_sats, mid_minor_per_btc, rate_minor_per_btc,
                                           spread_bps, created_at, expires_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """);
        foreach (var value in new object[] { quote.QuoteId, userId, quote.Direction, quote.AmountMinor, quote.BtcSats, quote.MidMinorPerBtc,
                     quote.RateMinorPerBtc, quote.SpreadBps, quote.CreatedAt, quote.ExpiresAt })
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        await command.ExecuteNonQueryAsync();
    }

    public async Task<Quote?> FindAsync(Guid userId, Guid quoteId)
    {
        await using var command = dataSource.CreateCommand("""
            select id, direction, amount_minor, btc_sats, mid_minor_per_btc, rate_minor_per_btc, spread_bps, created_at, expires_at
            from conversion_quotes where id = $1 and user_id = $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = quoteId });
        command.Parameters.Add(new NpgsqlParameter { Value = userId });
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) return null;
        return new Quote(reader.GetGuid(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
            reader.GetInt64(5), reader.GetInt32(6), reader.GetFieldValue<DateTimeOffset>(7), reader.GetFieldValue<DateTimeOffset>(8));
    }

    /// <summary>Whether the quote was executed (its conversion committed).</summary>
    public async Task<bool> IsUsedAsync(Guid quoteId)
    {
        await using var command = dataSource.CreateCommand("select used_at is not null from conversion_quotes where id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = quoteId });
        return await command.ExecuteScalarAsync() is true;
    }
}
