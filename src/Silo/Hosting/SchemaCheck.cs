using Microsoft.Extensions.Options;
using NeXChange.Credits;
using Npgsql;

namespace NeXChange.Silo.Hosting;

/// <summary>
/// Runs before the silo joins the cluster. The silo connects as the runtime role, which cannot migrate: the schema
/// must already be at this build's version (the <c>migrate</c> command does that as the owner role), the role must
/// own nothing, and the daily outflow limits the database enforces must be the ones this silo was configured with.
/// Any mismatch stops the silo with a message naming the fix.
/// </summary>
public sealed class SchemaCheck(NpgsqlDataSource dataSource, IOptions<LimitOptions> limits) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            select (select coalesce(max(version), 0) from schema_migrations),
                   (select pg_has_role(current_user, n.nspowner, 'USAGE') from pg_namespace n where n.nspname = 'ledger'),
                   (select daily_minor from ledger.outflow_limits), (select daily_count from ledger.outflow_limits)
            """);
        int version;
        bool owner;
        long dailyMinor;
        int dailyCount;
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            (version, owner, dailyMinor, dailyCount) = (reader.GetInt32(0), reader.GetBoolean(1), reader.GetInt64(2), reader.GetInt32(3));
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidSchemaName)
        {
            throw new InvalidOperationException("The database has no schema yet: run the 'migrate' command (as the owner role) first.", e);
        }

        if (version < Migrator.LatestVersion)
            throw new InvalidOperationException($"The database is at migration {version}, this silo needs {Migrator.LatestVersion}: run the 'migrate' command first.");
        if (owner)
            throw new InvalidOperationException(
                "ConnectionStrings:Postgres connects as the owner of the schema: the silo must use the runtime role, which owns nothing (see SECURITY.md).");
        var configured = limits.Value;
        if (dailyMinor != configured.DailyOutflowMinor || dailyCount != configured.DailyOutflowCount)
            throw new InvalidOperationException(
                $"The database enforces daily outflow limits {dailyMinor} minor / {dailyCount}, this silo is configured with " +
                $"{configured.DailyOutflowMinor} / {configured.DailyOutflowCount}: run 'migrate' with the same Limits settings.");
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
