using Npgsql;

namespace NeXChange.Hosting;

/// <summary>The hosts' PostgreSQL data sources, built one way.</summary>
public static class PostgresDataSources
{
    /// <summary>
    /// Statements run thousands of times a second (ledger inserts, balance and status lookups) are prepared on the
    /// server after their second use, so PostgreSQL parses and plans each once per connection instead of on every
    /// call: on two cores that CPU is throughput. A connection string that sets <c>Max Auto Prepare</c> (0 turns it
    /// off) keeps its own value.
    /// </summary>
    public static NpgsqlDataSource Create(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase) &&
            !connectionString.Contains("AutoPrepare", StringComparison.OrdinalIgnoreCase))
            builder.MaxAutoPrepare = 128;
        return NpgsqlDataSource.Create(builder.ConnectionString);
    }
}
