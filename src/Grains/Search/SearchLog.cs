using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace NeXChange.Search;

/// <summary>search_log (SPEC.md 5.5): one row per search, the analytics over it, and its retention (3.11).</summary>
public sealed class SearchLog(NpgsqlDataSource dataSource)
{
    public static readonly TimeSpan KeepUserIdFor = TimeSpan.FromDays(30);
    public static readonly TimeSpan KeepRowsFor = TimeSpan.FromDays(730);
    private const int TopCount = 20;

    /// <summary>
    /// The filters are logged without the search point: a location is personal data and analytics need only
    /// whether one was used and how wide the radius was.
    /// </summary>
    public async Task WriteAsync(SearchCriteria criteria, long resultCount, double latencyMs, Guid? userId, DateTimeOffset at)
    {
        var filters = JsonSerializer.Serialize(new
        {
            category = criteria.CategoryId,
            condition = criteria.Conditions,
            minPriceMinor = criteria.MinPriceMinor,
            maxPriceMinor = criteria.MaxPriceMinor,
            radiusKm = criteria.RadiusKm,
            hasPoint = criteria.Point is not null,
            verifiedOnly = criteria.VerifiedOnly,
            pageSize = criteria.PageSize,
        });
        await using var command = dataSource.CreateCommand("""
            insert into search_log (id, at, q, filters, sort, page, result_count, latency_ms, user_id)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """);
        command.Parameters.Add(new() { Value = Guid.CreateVersion7() });
        command.Parameters.Add(new() { Value = at });
        command.Parameters.Add(new() { Value = criteria.Q });
        command.Parameters.Add(new() { Value = filters, NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = criteria.Sort });
        command.Parameters.Add(new() { Value = criteria.Page });
        command.Parameters.Add(new() { Value = resultCount });
        command.Parameters.Add(new() { Value = latencyMs });
        command.Parameters.Add(new() { Value = (object?)userId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Counts, latency percentiles and the top queries (lower-cased; empty q is browsing, not a query).</summary>
    public async Task<SearchAnalytics> ReportAsync(DateTimeOffset from, DateTimeOffset to)
    {
        await using var batch = dataSource.CreateBatch();
        var totals = new NpgsqlBatchCommand("""
            select count(*), count(*) filter (where result_count = 0),
                   percentile_cont(0.5) within group (order by latency_ms),
                   percentile_cont(0.95) within group (order by latency_ms)
            from search_log where at >= $1 and at < $2
            """);
        batch.BatchCommands.Add(WithRange(totals, from, to));
        foreach (var zeroOnly in new[] { false, true })
            batch.BatchCommands.Add(WithRange(new NpgsqlBatchCommand($"""
                select lower(q), count(*) from search_log
                where at >= $1 and at < $2 and q <> '' {(zeroOnly ? "and result_count = 0" : "")}
                group by lower(q) order by count(*) desc, lower(q) limit {TopCount}
                """), from, to));

        await using var reader = await batch.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (searches, zero) = (reader.GetInt64(0), reader.GetInt64(1));
        double? p50 = reader.IsDBNull(2) ? null : Math.Round(reader.GetDouble(2), 2);
        double? p95 = reader.IsDBNull(3) ? null : Math.Round(reader.GetDouble(3), 2);
        var tops = new List<List<QueryCount>>();
        for (var i = 0; i < 2; i++)
        {
            await reader.NextResultAsync();
            var list = new List<QueryCount>();
            while (await reader.ReadAsync()) list.Add(new(reader.GetString(0), reader.GetInt64(1)));
            tops.Add(list);
        }
        return new SearchAnalytics(searches, zero, p50, p95, tops[0], tops[1]);
    }

    public async Task<SearchLogRetention> ApplyRetentionAsync(DateTimeOffset now)
    {
        await using var batch = dataSource.CreateBatch();
        var clear = new NpgsqlBatchCommand("update search_log set user_id = null where user_id is not null and at < $1");
        clear.Parameters.Add(new() { Value = now - KeepUserIdFor });
        var delete = new NpgsqlBatchCommand("delete from search_log where at < $1");
        delete.Parameters.Add(new() { Value = now - KeepRowsFor });
        batch.BatchCommands.Add(clear);
        batch.BatchCommands.Add(delete);
        await batch.ExecuteNonQueryAsync();
        return new SearchLogRetention(clear.RecordsAffected, delete.RecordsAffected);
    }

    private static NpgsqlBatchCommand WithRange(NpgsqlBatchCommand command, DateTimeOffset from, DateTimeOffset to)
    {
        command.Parameters.Add(new() { Value = from });
        command.Parameters.Add(new() { Value = to });
        return command;
    }
}
