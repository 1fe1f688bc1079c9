using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace NeXChange.Items;

/// <summary>
/// The items table. Every write names the version it replaces, so a second activation of the same item (during a
/// silo failure) can never overwrite a newer row: it gets false and must reload.
/// </summary>
public sealed class ItemStore(NpgsqlDataSource dataSource)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private const string Columns = """
        id, owner_id, status, title, description, category_id, condition, price_minor, tags, attributes, known_issues,
        general_area, area_lat, area_lng, photos, photos_purged, needs_review, review_reason, safety_check,
        reserved_by_trade, version, created_at, updated_at, published_at, status_changed_at
        """;

    public async Task<ItemRecord?> LoadAsync(Guid id)
    {
        await using var command = dataSource.CreateCommand($"select {Columns} from items where id = $1");
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? Read(reader) : null;
    }

    /// <summary>The owner's items with an id below <paramref name="beforeId"/> (UUIDv7: newest first).</summary>
    public Task<List<ItemRecord>> ListByOwnerAsync(Guid ownerId, IReadOnlyList<string> statuses, Guid? beforeId, int limit) =>
        QueryAsync($"""
            select {Columns} from items
            where owner_id = $1 and (cardinality($2::text[]) = 0 or status = any($2)) and ($3::uuid is null or id < $3)
            order by id desc limit $4
            """, p => p.Add(ownerId).Add(statuses.ToArray()).Add(beforeId, NpgsqlDbType.Uuid).Add(limit));

    /// <summary>The moderation queue after (at, id), oldest first.</summary>
    public Task<List<ItemRecord>> ReviewQueueAsync((DateTimeOffset At, Guid Id)? after, int limit) =>
        QueryAsync($"""
            select {Columns} from items
            where (status = 'pending_review' or needs_review)
              and ($1::timestamptz is null or (status_changed_at, id) > ($1, $2))
            order by status_changed_at, id limit $3
            """, p => p.Add(after?.At, NpgsqlDbType.TimestampTz).Add(after?.Id, NpgsqlDbType.Uuid).Add(limit));

    /// <summary>Every item in id order, a page after <paramref name="afterId"/> at a time (projection rebuilds).</summary>
    public Task<List<ItemRecord>> ListAfterAsync(Guid? afterId, int limit) =>
        QueryAsync($"select {Columns} from items where $1::uuid is null or id > $1 order by id limit $2",
            p => p.Add(afterId, NpgsqlDbType.Uuid).Add(limit));

    private async Task<List<ItemRecord>> QueryAsync(string sql, Action<Parameters> bind)
    {
        await using var command = dataSource.CreateCommand(sql);
        bind(new Parameters(command));
        await using var reader = await command.ExecuteReaderAsync();
        var items = new List<ItemRecord>();
        while (await reader.ReadAsync()) items.Add(Read(reader));
        return items;
    }

    /// <summary>Positional parameters; typed where a NULL or JSON text would otherwise leave Npgsql guessing.</summary>
    private readonly struct Parameters(NpgsqlCommand command)
    {
        public Parameters Add(object? value, NpgsqlDbType? type = null)
        {
            command.Parameters.Add(type is { } t
                ? new NpgsqlParameter { Value = value ?? DBNull.Value, NpgsqlDbType = t }
                : new NpgsqlParameter { Value = value });
            return this;
        }
    }

    /// <summary>Inserts (previousVersion null) or replaces the row at <paramref name="previousVersion"/>; false on a lost race.</summary>
    public async Task<bool> SaveAsync(ItemRecord item, long? previousVersion)
    {
        var sql = previousVersion is null
            ? $"insert into items ({Columns}) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25) on conflict (id) do nothing"
            : """
              update items set status = $3, title = $4, description = $5, category_id = $6, condition = $7, price_minor = $8,
                  tags = $9, attributes = $10, known_issues = $11, general_area = $12, area_lat = $13, area_lng = $14,
                  photos = $15, photos_purged = $16, needs_review = $17, review_reason = $18, safety_check = $19,
                  reserved_by_trade = $20, version = $21, updated_at = $23, published_at = $24, status_changed_at = $25
              where id = $1 and version = $26
              """;
        await using var command = dataSource.CreateCommand(sql);
        var f = item.Fields;
        var p = new Parameters(command)
            .Add(item.Id).Add(item.OwnerId).Add(item.Status)
            .Add(f.Title).Add(f.Description).Add(f.CategoryId).Add(f.Condition).Add(f.PriceMinor).Add(f.Tags.ToArray())
            .Add(JsonSerializer.Serialize(f.Attributes, Json), NpgsqlDbType.Jsonb).Add(f.KnownIssues)
            .Add(item.GeneralArea).Add(item.AreaLat, NpgsqlDbType.Numeric).Add(item.AreaLng, NpgsqlDbType.Numeric)
            .Add(JsonSerializer.Serialize(item.Photos, Json), NpgsqlDbType.Jsonb).Add(item.PhotosPurged)
            .Add(item.NeedsReview).Add(item.ReviewReason, NpgsqlDbType.Text)
            .Add(item.SafetyCheck is null ? null : JsonSerializer.Serialize(item.SafetyCheck, Json), NpgsqlDbType.Jsonb)
            .Add(item.ReservedByTrade, NpgsqlDbType.Uuid).Add(item.Version)
            .Add(item.CreatedAt).Add(item.UpdatedAt).Add(item.PublishedAt, NpgsqlDbType.TimestampTz).Add(item.StatusChangedAt);
        if (previousVersion is not null) p.Add(previousVersion.Value);
        return await command.ExecuteNonQueryAsync() == 1;
    }

    private static ItemRecord Read(NpgsqlDataReader r)
    {
        var fields = new ItemFields(r.GetString(3), r.GetString(4), r.GetGuid(5), r.GetString(6), r.GetInt64(7),
            r.GetFieldValue<string[]>(8), JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(9), Json)!, r.GetString(10));
        return new ItemRecord(r.GetGuid(0), r.GetGuid(1), r.GetString(2), fields, r.GetString(11),
            r.IsDBNull(12) ? null : r.GetDecimal(12), r.IsDBNull(13) ? null : r.GetDecimal(13),
            JsonSerializer.Deserialize<List<ItemPhoto>>(r.GetString(14), Json)!, r.GetBoolean(15), r.GetBoolean(16),
            r.IsDBNull(17) ? null : r.GetString(17),
            r.IsDBNull(18) ? null : JsonSerializer.Deserialize<SafetyCheck>(r.GetString(18), Json),
            r.IsDBNull(19) ? null : r.GetGuid(19), r.GetInt64(20),
            r.GetFieldValue<DateTimeOffset>(21), r.GetFieldValue<DateTimeOffset>(22),
            r.IsDBNull(23) ? null : r.GetFieldValue<DateTimeOffset>(23), r.GetFieldValue<DateTimeOffset>(24));
    }
}
