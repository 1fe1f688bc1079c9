using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using NeXChange.Silo.Hosting;
using Npgsql;

namespace NeXChange.TestSupport;

/// <summary>
/// The real stores the test script started (deploy/test.sh exports their addresses). Each fixture gets a
/// database of its own, created fresh and migrated with the production migrator, so test classes never see
/// each other's rows and no test talks to a fake.
/// </summary>
public static class TestEnvironment
{
    public static string PostgresAdmin =>
        Environment.GetEnvironmentVariable("NEXCHANGE_TEST_POSTGRES")
        ?? throw new InvalidOperationException("NEXCHANGE_TEST_POSTGRES is not set: run the tests through ./deploy/test.sh");

    public static string Redis =>
        Environment.GetEnvironmentVariable("NEXCHANGE_TEST_REDIS")
        ?? throw new InvalidOperationException("NEXCHANGE_TEST_REDIS is not set: run the tests through ./deploy/test.sh");

    public static string DataDir(string name)
    {
        var root = Environment.GetEnvironmentVariable("NEXCHANGE_TEST_DATA_DIR") ?? Path.Combine(Path.GetTempPath(), "nexchange-test");
        var dir = Path.Combine(root, $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Creates an empty database, applies every migration, and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)].ToLowerInvariant();
        var admin = new NpgsqlConnectionStringBuilder(PostgresAdmin);
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"create database \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        var builder = new NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = name, MaxPoolSize = 30 };
        await using var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        await new Migrator(dataSource, NullLogger<Migrator>.Instance).MigrateAsync();
        return builder.ConnectionString;
    }

    /// <summary>Configuration as the hosts read it, pointing at the given database and the test Redis.</summary>
    public static IConfiguration Configuration(string postgres, IDictionary<string, string?>? extra = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = postgres,
            ["ConnectionStrings:Redis"] = Redis,
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string?>()) values[k] = v;
        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }
}
