using Npgsql;
using NpgsqlTypes;

namespace NeXChange.Feedback;

/// <summary>One row of the feedback table (migration 0014); <see cref="Role"/> is the author's side.</summary>
public sealed record FeedbackRow(Guid Id, Guid TradeId, Guid AuthorId, Guid SubjectId, string Role, int Rating, string? Comment,
    DateTimeOffset CreatedAt);

/// <summary>What feedback reads from the trades projection: its status (for invalid_transition) and its item.</summary>
public sealed record FeedbackTrade(string Status, Guid ItemId, string ItemTitle);

/// <summary>SQL for the feedback table: rows are only ever inserted and read.</summary>
public sealed class FeedbackStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "f.id, f.trade_id, f.author_id, f.subject_id, f.role, f.rating, f.comment, f.created_at";

    /// <summary>False when the author already rated this trade (the unique (trade_id, author_id) index).</summary>
    public async Task<bool> InsertAsync(FeedbackRow row)
    {
        await using var command = dataSource.CreateCommand("""
            insert into feedback (id, trade_id, author_id, subject_id, role, rating, comment, created_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8)
            on conflict (trade_id, author_id) do nothing
            """);
        var p = command.Parameters;
        p.Add(new() { Value = row.Id });
        p.Add(new() { Value = row.TradeId });
        p.Add(new() { Value = row.AuthorId });
        p.Add(new() { Value = row.SubjectId });
        p.Add(new() { Value = row.Role });
        p.Add(new() { Value = (short)row.Rating });
        p.Add(new() { Value = (object?)row.Comment ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new() { Value = row.CreatedAt });
        return await command.ExecuteNonQueryAsync() == 1;
    }

    /// <summary>The trade's feedback: none, one or both parties'.</summary>
    public Task<List<FeedbackRow>> ForTradeAsync(Guid tradeId) =>
        RowsAsync($"select {Columns} from feedback f where f.trade_id = $1", p => p.Add(new() { Value = tradeId }));

    /// <summary>
    /// What <paramref name="subjectId"/> received and others may see, below <paramref name="beforeId"/>, newest first:
    /// rows whose subject also rated the trade, or whose trade ended before <paramref name="windowClosedForEndsBefore"/>.
    /// </summary>
    public Task<List<FeedbackRow>> ReceivedAsync(Guid subjectId, DateTimeOffset windowClosedForEndsBefore, Guid? beforeId, int limit) =>
        RowsAsync($"""
            select {Columns} from feedback f join trades t on t.id = f.trade_id
            where f.subject_id = $1 and ($3::uuid is null or f.id < $3)
              and (t.ended_at < $2 or exists (select from feedback o where o.trade_id = f.trade_id and o.author_id = f.subject_id))
            order by f.id desc limit $4
            """, p =>
            {
                p.Add(new() { Value = subjectId });
                p.Add(new() { Value = windowClosedForEndsBefore });
                p.Add(new() { Value = (object?)beforeId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
                p.Add(new() { Value = limit });
            });

    public async Task<FeedbackTrade> TradeAsync(Guid tradeId)
    {
        await using var command = dataSource.CreateCommand(
            "select t.status, t.item_id, i.title from trades t join items i on i.id = t.item_id where t.id = $1");
        command.Parameters.Add(new() { Value = tradeId });
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync()) throw new InvalidOperationException($"Trade {tradeId} has no projection row.");
        return new FeedbackTrade(reader.GetString(0), reader.GetGuid(1), reader.GetString(2));
    }

    private async Task<List<FeedbackRow>> RowsAsync(string sql, Action<NpgsqlParameterCollection> bind)
    {
        await using var command = dataSource.CreateCommand(sql);
        bind(command.Parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<FeedbackRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new FeedbackRow(reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetGuid(3), reader.GetString(4),
                reader.GetInt16(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(7)));
        }
        return rows;
    }
}
