using Npgsql;

namespace NeXChange.Maintenance;

/// <summary>
/// SPEC.md 3.11: audit rows are kept 7 years. The runtime role cannot delete them; the owner's function of migration
/// 0020 removes the rows older than 7 years by the database's clock, in batches, and nothing newer.
/// </summary>
public sealed class AuditRetention(NpgsqlDataSource dataSource)
{
    private const int Batch = 1000;

    public async Task<long> DeleteExpiredAsync()
    {
        long deleted = 0;
        while (true)
        {
            await using var command = dataSource.CreateCommand("select retention_delete_expired_audit($1)");
            command.Parameters.Add(new() { Value = Batch });
            var batch = (int)(await command.ExecuteScalarAsync())!;
            deleted += batch;
            if (batch < Batch) return deleted;
        }
    }
}
