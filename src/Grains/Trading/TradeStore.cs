using Npgsql;
using NpgsqlTypes;

namespace NeXChange.Trading;

/// <summary>
/// The trades projection (migration 0011). The TradeGrain is its only writer; every write carries the grain's
/// version, so a late write from an older activation never replaces a newer row.
/// </summary>
public sealed class TradeStore(NpgsqlDataSource dataSource)
{
    private const string UniqueViolation = "23505";

    /// <summary>Claims the buyer's one open trade on the item; false when the buyer already has one.</summary>
    public async Task<bool> ClaimOfferAsync(Guid tradeId, TradeState s)
    {
        try
        {
            await UpsertAsync(tradeId, s, nextDueAt: s.ExpiresAt);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == UniqueViolation && e.ConstraintName == "trades_one_open_per_buyer")
        {
            return false;
        }
    }

    public Task SaveAsync(Guid tradeId, TradeState s, DateTimeOffset? nextDueAt) => UpsertAsync(tradeId, s, nextDueAt);

    /// <summary>Removes the claim of an offer whose grain state was never written (a crash in between).</summary>
    public async Task ForgetUnwrittenOfferAsync(Guid tradeId)
    {
        await using var command = dataSource.CreateCommand("delete from trades where id = $1 and version = 1 and status = 'offered'");
        command.Parameters.Add(new() { Value = tradeId });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Whether the trade ended more than 7 years ago by the database's clock, the one retention obeys (0020).</summary>
    public async Task<bool> EndedBeyondRetentionAsync(Guid tradeId)
    {
        await using var command = dataSource.CreateCommand(
            "select exists (select from trades where id = $1 and purged_at is null and ended_at < now() - interval '7 years')");
        command.Parameters.Add(new() { Value = tradeId });
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Deletes the trade's dispute and feedback rows and clears its row to a tombstone; false when not due or done.</summary>
    public async Task<bool> PurgeAsync(Guid tradeId)
    {
        await using var command = dataSource.CreateCommand("select retention_purge_trade($1)");
        command.Parameters.Add(new() { Value = tradeId });
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    public Task<List<Guid>> OpenTradesOnItemAsync(Guid itemId) =>
        IdsAsync("""
            select id from trades where item_id = $1
              and status in ('offered', 'countered', 'accepted', 'scheduled', 'disputed') order by id
            """, p => p.Add(new() { Value = itemId }));

    /// <summary>Trades with a timer due at <paramref name="now"/>, oldest due first.</summary>
    public Task<List<Guid>> DueAsync(DateTimeOffset now, int limit) =>
        IdsAsync("select id from trades where next_due_at <= $1 order by next_due_at limit $2",
            p => { p.Add(new() { Value = now }); p.Add(new() { Value = limit }); });

    /// <summary>The user's trades as buyer and/or seller below <paramref name="beforeId"/> (UUIDv7: newest first).</summary>
    public Task<List<Guid>> ListForUserAsync(Guid userId, string? role, IReadOnlyList<string> statuses, Guid? beforeId, int limit) =>
        IdsAsync("""
            select id from trades
            where (($2::text is null and (buyer_id = $1 or seller_id = $1)) or ($2 = 'buyer' and buyer_id = $1) or ($2 = 'seller' and seller_id = $1))
              and (cardinality($3::text[]) = 0 or status = any($3)) and ($4::uuid is null or id < $4)
            order by id desc limit $5
            """, p =>
            {
                p.Add(new() { Value = userId });
                p.Add(new() { Value = (object?)role ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
                p.Add(new() { Value = statuses.ToArray() });
                p.Add(new() { Value = (object?)beforeId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
                p.Add(new() { Value = limit });
            });

    private async Task UpsertAsync(Guid tradeId, TradeState s, DateTimeOffset? nextDueAt)
    {
        await using var command = dataSource.CreateCommand("""
            insert into trades (id, item_id, buyer_id, seller_id, status, next_due_at, held_at, ended_at, end_reason, resolution,
                at_fault, no_show_party, buyer_on_time, seller_on_time, version, created_at, updated_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
            on conflict (id) do update set status = excluded.status, next_due_at = excluded.next_due_at, held_at = excluded.held_at,
                ended_at = excluded.ended_at, end_reason = excluded.end_reason, resolution = excluded.resolution,
                at_fault = excluded.at_fault, no_show_party = excluded.no_show_party, buyer_on_time = excluded.buyer_on_time,
                seller_on_time = excluded.seller_on_time, version = excluded.version, updated_at = excluded.updated_at
            where trades.version < excluded.version
            """);
        var p = command.Parameters;
        p.Add(new() { Value = tradeId });
        p.Add(new() { Value = s.ItemId });
        p.Add(new() { Value = s.BuyerId });
        p.Add(new() { Value = s.SellerId });
        p.Add(new() { Value = s.Status });
        p.Add(Nullable(nextDueAt, NpgsqlDbType.TimestampTz));
        p.Add(Nullable(s.HeldAt, NpgsqlDbType.TimestampTz));
        p.Add(Nullable(s.EndedAt, NpgsqlDbType.TimestampTz));
        p.Add(Nullable(s.EndReason, NpgsqlDbType.Text));
        p.Add(Nullable(s.Resolution, NpgsqlDbType.Text));
        p.Add(Nullable(s.AtFault, NpgsqlDbType.Text));
        p.Add(Nullable(s.NoShowParty, NpgsqlDbType.Text));
        p.Add(Nullable(s.BuyerOnTime, NpgsqlDbType.Boolean));
        p.Add(Nullable(s.SellerOnTime, NpgsqlDbType.Boolean));
        p.Add(new() { Value = s.Version });
        p.Add(new() { Value = s.CreatedAt });
        p.Add(new() { Value = s.UpdatedAt });
        await command.ExecuteNonQueryAsync();
    }

    private static NpgsqlParameter Nullable(object? value, NpgsqlDbType type) => new() { Value = value ?? DBNull.Value, NpgsqlDbType = type };

    private async Task<List<Guid>> IdsAsync(string sql, Action<NpgsqlParameterCollection> bind)
    {
        await using var command = dataSource.CreateCommand(sql);
        bind(command.Parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<Guid>();
        while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));
        return ids;
    }
}
