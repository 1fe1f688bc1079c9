using Npgsql;

namespace NeXChange.Privacy;

/// <summary>What a DSR delete reads and clears outside the grains (SPEC.md 3.10).</summary>
public sealed class ErasureQueries(NpgsqlDataSource dataSource)
{
    /// <summary>Whether one of the user's trades holds escrow (<c>scheduled</c> or <c>disputed</c>).</summary>
    public async Task<bool> EscrowHeldAsync(Guid userId) =>
        (await IdsAsync("""
            select id from trades where (buyer_id = $1 or seller_id = $1) and status in ('scheduled', 'disputed') limit 1
            """, userId)).Count > 0;

    public Task<List<Guid>> PreEscrowTradesAsync(Guid userId) =>
        IdsAsync("select id from trades where (buyer_id = $1 or seller_id = $1) and status in ('offered', 'countered', 'accepted')", userId);

    public Task<List<Guid>> ItemsAsync(Guid userId) => IdsAsync("select id from items where owner_id = $1", userId);

    /// <summary>Removes the comment texts the user wrote; the ratings stay. Only the owner's function may (0021).</summary>
    public async Task EraseFeedbackCommentsAsync(Guid userId)
    {
        await using var command = dataSource.CreateCommand("select erase_feedback_comments($1)");
        command.Parameters.Add(new() { Value = userId });
        await command.ExecuteScalarAsync();
    }

    public async Task ClearSearchLogAsync(Guid userId)
    {
        await using var command = dataSource.CreateCommand("update search_log set user_id = null where user_id = $1");
        command.Parameters.Add(new() { Value = userId });
        await command.ExecuteNonQueryAsync();
    }

    private async Task<List<Guid>> IdsAsync(string sql, Guid userId)
    {
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.Add(new() { Value = userId });
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<Guid>();
        while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));
        return ids;
    }
}
