using NeXChange.Audit;
using NeXChange.Users;
using Npgsql;
using NpgsqlTypes;

namespace NeXChange.Search;

/// <summary>Reads and writes the single search_settings row; the write and its audit row commit together.</summary>
public sealed class SearchSettingsStore(NpgsqlDataSource dataSource)
{
    public const string AuditAction = "SEARCH_WEIGHTS_UPDATED";

    private const string Columns =
        "version, text_blend, w_proximity, w_recency, w_photo_count, w_reputation, w_category_match, w_freshness, updated_at, updated_by";

    public async Task<SearchSettings> ReadAsync(CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"select {Columns} from search_settings where id = 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return Read(reader);
    }

    public async Task<SearchSettings> WriteAsync(Guid adminId, SearchWeights weights, DateTimeOffset now)
    {
        // timestamptz keeps microseconds: answer with what a later read returns.
        now = new DateTimeOffset(now.UtcTicks - now.UtcTicks % 10, TimeSpan.Zero);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        SearchSettings old;
        await using (var read = new NpgsqlCommand($"select {Columns} from search_settings where id = 1 for update", connection, transaction))
        await using (var reader = await read.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            old = Read(reader);
        }
        var w = weights.Weights;
        await using (var update = new NpgsqlCommand("""
            update search_settings set version = version + 1, text_blend = $1, w_proximity = $2, w_recency = $3,
                w_photo_count = $4, w_reputation = $5, w_category_match = $6, w_freshness = $7, updated_at = $8, updated_by = $9
            where id = 1
            """, connection, transaction))
        {
            foreach (var value in new object[] { weights.TextBlend, w.Proximity, w.Recency, w.PhotoCount, w.Reputation, w.CategoryMatch, w.Freshness, now, adminId })
                update.Parameters.Add(new() { Value = value });
            await update.ExecuteNonQueryAsync();
        }
        var updated = new SearchSettings(old.Version + 1, weights.TextBlend, w, now, adminId);
        await AuditLog.WriteAsync(connection, transaction,
            new AuditEntry(AuditAction, "search_settings", "weights", adminId, new
            {
                old = new { old.Version, old.TextBlend, old.Weights },
                @new = new { updated.Version, updated.TextBlend, updated.Weights },
            }), now);
        await transaction.CommitAsync();
        return updated;
    }

    private static SearchSettings Read(NpgsqlDataReader r) => new(
        r.GetInt64(0), r.GetDouble(1),
        new SignalWeights(r.GetDouble(2), r.GetDouble(3), r.GetDouble(4), r.GetDouble(5), r.GetDouble(6), r.GetDouble(7)),
        r.GetFieldValue<DateTimeOffset>(8), r.IsDBNull(9) ? null : r.GetGuid(9));
}
