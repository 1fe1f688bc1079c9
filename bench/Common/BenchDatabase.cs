using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using NeXChange.Silo.Hosting;
using Npgsql;

namespace NeXChange.Bench;

/// <summary>
/// A fresh database per bench run, created and migrated as the owner role (as the migrate command does), used
/// through the runtime role like a silo. bench/run.sh exports both connection strings.
/// </summary>
public static class BenchDatabase
{
    public static async Task<string> CreateAsync(string name, IDictionary<string, string?> settings, int maxPoolSize)
    {
        var owner = Environment.GetEnvironmentVariable("NEXCHANGE__ConnectionStrings__PostgresOwner") ?? throw new InvalidOperationException("run through bench/run.sh");
        var runtime = Environment.GetEnvironmentVariable("NEXCHANGE__ConnectionStrings__Postgres") ?? throw new InvalidOperationException("run through bench/run.sh");
        await using (var server = NpgsqlDataSource.Create(owner))
        await using (var create = server.CreateCommand($"create database {name}"))
            await create.ExecuteNonQueryAsync();
        var postgres = new NpgsqlConnectionStringBuilder(runtime) { Database = name, MaxPoolSize = maxPoolSize }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(owner) { Database = name }.ConnectionString);
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>(settings) { ["ConnectionStrings:Postgres"] = postgres })
            .Build();
        await new Migrator(dataSource, NullLogger<Migrator>.Instance).MigrateAsync(MigrationTarget.From(configuration));
        return postgres;
    }

    /// <summary>
    /// Drops the bench database, ending its sessions. A session still starting has no role yet, and PostgreSQL refuses to
    /// end it (42501) or to drop around it (55006): tried again a few times, a second apart.
    /// </summary>
    public static async Task DropAsync(string postgres)
    {
        NpgsqlConnection.ClearAllPools();
        var owner = Environment.GetEnvironmentVariable("NEXCHANGE__ConnectionStrings__PostgresOwner")!;
        await using var server = NpgsqlDataSource.Create(owner);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var drop = server.CreateCommand($"drop database {new NpgsqlConnectionStringBuilder(postgres).Database} with (force)");
                await drop.ExecuteNonQueryAsync();
                return;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse && attempt < 5)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }
}
