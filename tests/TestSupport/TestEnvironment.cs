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
    /// <summary>The owner role: creates, migrates and drops the test databases; never what the code under test uses.</summary>
    public static string PostgresAdmin =>
        Environment.GetEnvironmentVariable("NEXCHANGE_TEST_POSTGRES")
        ?? throw new InvalidOperationException("NEXCHANGE_TEST_POSTGRES is not set: run the tests through ./deploy/test.sh");

    /// <summary>The runtime role's credentials (its database is replaced per fixture), as the silo and API connect.</summary>
    public static string PostgresRuntime =>
        Environment.GetEnvironmentVariable("NEXCHANGE_TEST_POSTGRES_RUNTIME")
        ?? throw new InvalidOperationException("NEXCHANGE_TEST_POSTGRES_RUNTIME is not set: run the tests through ./deploy/test.sh");

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

    /// <summary>
    /// Creates an empty database, applies every migration as the owner (with the daily outflow limits of
    /// <paramref name="settings"/>, as the migrate command would), and returns the runtime role's connection string.
    /// </summary>
    public static async Task<string> CreateDatabaseAsync(string prefix, IDictionary<string, string?>? settings = null)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 33, 63)].ToLowerInvariant();
        var admin = new NpgsqlConnectionStringBuilder(PostgresAdmin);
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"create database \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        // Small pools that let idle connections go quickly: many fixtures run side by side on one server.
        var builder = new NpgsqlConnectionStringBuilder(PostgresRuntime)
        {
            Database = name,
            MaxPoolSize = 15,
            ConnectionIdleLifetime = 5,
            ConnectionPruningInterval = 1,
        };
        await using var dataSource = NpgsqlDataSource.Create(Owner(builder.ConnectionString));
        var target = MigrationTarget.From(Configuration(builder.ConnectionString, settings));
        await new Migrator(dataSource, NullLogger<Migrator>.Instance).MigrateAsync(target);
        return builder.ConnectionString;
    }

    /// <summary>The same database as the owner role: for tests that must go around the runtime role's grants.</summary>
    public static string Owner(string connectionString)
    {
        var admin = new NpgsqlConnectionStringBuilder(PostgresAdmin);
        return new NpgsqlConnectionStringBuilder(connectionString) { Username = admin.Username, Password = admin.Password }.ConnectionString;
    }

    /// <summary>Closes every pooled connection to the database and drops it.</summary>
    public static async Task DropDatabaseAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        await using (var connection = new NpgsqlConnection(connectionString)) NpgsqlConnection.ClearPool(connection);
        await using (var connection = new NpgsqlConnection(Owner(connectionString))) NpgsqlConnection.ClearPool(connection);
        await using var admin = new NpgsqlConnection(PostgresAdmin);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop database if exists \"{name}\" with (force)", admin);
        // A session that starts while the drop runs (a host's pool reconnecting as it shuts down) makes it fail once
        // in a while (seen as a class-cleanup failure of a green run); the next attempt finds it ended. Cleanup only:
        // no assertion waits on this.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException) when (attempt < 5)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
        }
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
