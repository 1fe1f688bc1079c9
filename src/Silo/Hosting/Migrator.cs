using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace NeXChange.Silo.Hosting;

/// <summary>
/// Applies the versioned SQL files embedded under Migrations/ (NNNN_name.sql) in order, each in its own
/// transaction, recording them in schema_migrations. A file that changed after it was applied stops the command:
/// released migrations are never edited, a change is a new file. An advisory lock lets several migrators run at once.
/// It connects as the owner role; afterwards it grants the runtime role exactly what RuntimeGrants.sql lists and
/// writes the configured daily outflow limits, which the ledger triggers enforce.
/// </summary>
public sealed class Migrator(NpgsqlDataSource ownerDataSource, ILogger<Migrator> logger)
{
    private const long AdvisoryLockId = 0x4E6558_4D4947; // "NeX" "MIG"

    public static IReadOnlyList<(int Version, string Name, string Sql)> LoadScripts()
    {
        var assembly = typeof(Migrator).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.EndsWith(".sql", StringComparison.Ordinal) && n.Contains(".Migrations.", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[(n.IndexOf(".Migrations.", StringComparison.Ordinal) + ".Migrations.".Length)..];
                var version = int.Parse(file[..file.IndexOf('_', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
                return (version, file, Read(assembly, n));
            })
            .OrderBy(s => s.version)
            .ToList();
    }

    /// <summary>The highest version embedded in this build: what a silo expects the database to be at.</summary>
    public static int LatestVersion => LoadScripts()[^1].Version;

    /// <summary>Brings the schema up to <see cref="LatestVersion"/>; returns the names of the migrations it applied.</summary>
    public async Task<IReadOnlyList<string>> MigrateAsync(MigrationTarget target, CancellationToken cancellationToken = default)
    {
        await using var connection = await ownerDataSource.OpenConnectionAsync(cancellationToken);
        if (await OwnerIsAsync(connection, target.RuntimeRole, cancellationToken))
            throw new InvalidOperationException(
                $"The runtime role '{target.RuntimeRole}' is the schema owner (or a member of it): ConnectionStrings:Postgres must name a role " +
                "that owns nothing, and ConnectionStrings:PostgresOwner the role that runs migrations.");
        await Execute(connection, $"select pg_advisory_lock({AdvisoryLockId})", cancellationToken);
        try
        {
            await Execute(connection, """
                create table if not exists schema_migrations (
                    version    integer primary key,
                    name       text not null,
                    checksum   text not null,
                    applied_at timestamptz not null default now())
                """, cancellationToken);

            var applied = new Dictionary<int, string>();
            var appliedNow = new List<string>();
            await using (var read = new NpgsqlCommand("select version, checksum from schema_migrations", connection))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken)) applied[reader.GetInt32(0)] = reader.GetString(1);
            }

            foreach (var (version, name, sql) in LoadScripts())
            {
                var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)));
                if (applied.TryGetValue(version, out var existing))
                {
                    if (existing != checksum)
                        throw new InvalidOperationException($"Migration {name} was changed after it was applied; add a new migration instead.");
                    continue;
                }

                await using var tx = await connection.BeginTransactionAsync(cancellationToken);
                await using (var apply = new NpgsqlCommand(sql, connection, tx)) await apply.ExecuteNonQueryAsync(cancellationToken);
                await using (var record = new NpgsqlCommand(
                    "insert into schema_migrations (version, name, checksum) values ($1, $2, $3)", connection, tx))
                {
                    record.Parameters.Add(new() { Value = version });
                    record.Parameters.Add(new() { Value = name });
                    record.Parameters.Add(new() { Value = checksum });
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }
                await tx.CommitAsync(cancellationToken);
                appliedNow.Add(name);
                logger.LogInformation("Applied migration {Migration}", name);
            }

            await using (var tx = await connection.BeginTransactionAsync(cancellationToken))
            {
                var grants = Read(typeof(Migrator).Assembly, "RuntimeGrants.sql").Replace("{role}", QuoteIdentifier(target.RuntimeRole), StringComparison.Ordinal);
                await using (var grant = new NpgsqlCommand(grants, connection, tx)) await grant.ExecuteNonQueryAsync(cancellationToken);
                await using (var limits = new NpgsqlCommand(
                    "update ledger.outflow_limits set daily_minor = $1, daily_count = $2", connection, tx))
                {
                    limits.Parameters.Add(new() { Value = target.DailyOutflowMinor });
                    limits.Parameters.Add(new() { Value = target.DailyOutflowCount });
                    await limits.ExecuteNonQueryAsync(cancellationToken);
                }
                await tx.CommitAsync(cancellationToken);
            }
            logger.LogInformation("Granted the runtime role {Role}; daily outflow limits {Minor} minor / {Count}",
                target.RuntimeRole, target.DailyOutflowMinor, target.DailyOutflowCount);
            return appliedNow;
        }
        finally
        {
            await Execute(connection, $"select pg_advisory_unlock({AdvisoryLockId})", CancellationToken.None);
        }
    }

    /// <summary>True when the role owns the ledger schema or inherits from its owner (a superuser counts too).</summary>
    private static async Task<bool> OwnerIsAsync(NpgsqlConnection connection, string role, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            select exists (select 1 from pg_roles r where r.rolname = $1
                and (r.rolsuper or pg_has_role(r.oid, (select datdba from pg_database where datname = current_database()), 'USAGE')
                     or exists (select 1 from pg_namespace n where n.nspname = 'ledger' and pg_has_role(r.oid, n.nspowner, 'USAGE'))))
            """, connection);
        command.Parameters.Add(new() { Value = role });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static string QuoteIdentifier(string name) => $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
