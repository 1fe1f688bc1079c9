using Microsoft.Extensions.DependencyInjection;
using NeXChange.Hosting;
using Npgsql;

namespace NeXChange.Maintenance;

/// <summary>
/// Conversion quotes (SPEC.md 7.1) are worth nothing once expired: those never executed are deleted a day after they
/// expired (until then a late execution is still told <c>quote_expired</c>, not <c>not_found</c>). An executed quote
/// stays with the conversion that references it. Quotes are stamped with the domain clock, which therefore decides (the
/// dev clock reaches it); execution refuses an expired quote, so none of these rows can be taken while they go.
/// </summary>
public sealed class QuoteRetention(NpgsqlDataSource dataSource, [FromKeyedServices(Clocks.Domain)] TimeProvider time)
{
    public static readonly TimeSpan KeptAfterExpiry = TimeSpan.FromHours(24);

    private const int Batch = 1000;

    public async Task<int> DeleteExpiredAsync()
    {
        var cutoff = time.GetUtcNow() - KeptAfterExpiry;
        var deleted = 0;
        while (true)
        {
            await using var command = dataSource.CreateCommand("""
                delete from conversion_quotes where id in (
                    select id from conversion_quotes where used_at is null and expires_at < $1 limit $2)
                """);
            command.Parameters.Add(new() { Value = cutoff });
            command.Parameters.Add(new() { Value = Batch });
            var batch = await command.ExecuteNonQueryAsync();
            deleted += batch;
            if (batch < Batch) return deleted;
        }
    }
}
