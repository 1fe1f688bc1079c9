using NeXChange.Credits;
using Npgsql;

namespace NeXChange.Bench;

/// <summary>
/// Bench accounts: verified users written straight into the users table (registration hashes a password with
/// PBKDF2, which would dominate the set-up) plus their two ledger accounts; funding goes through the grains.
/// </summary>
public static class Seed
{
    public static async Task<Guid[]> UsersAsync(NpgsqlDataSource dataSource, int count)
    {
        var ids = Enumerable.Range(0, count).Select(_ => Guid.CreateVersion7()).ToArray();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            await using var insert = new NpgsqlCommand("""
                insert into users (id, email, role, email_verified, signup_granted, display_name, display_name_generated_at, created_at, updated_at)
                values ($1, $2, 'user', true, true, $3, now(), now(), now())
                """, connection, transaction);
            insert.Parameters.Add(new() { Value = id });
            insert.Parameters.Add(new() { Value = $"bench-{i}@bench.invalid" });
            insert.Parameters.Add(new() { Value = $"BenchUser_{1000 + i}" });
            await insert.ExecuteNonQueryAsync();
            await LedgerAccounts.OpenUserAccountsAsync(connection, transaction, id, CancellationToken.None);
        }
        await transaction.CommitAsync();
        return ids;
    }

    /// <summary>An admin grant of <paramref name="amountMinor"/> to each user, through their CreditAccountGrains.</summary>
    public static async Task FundAsync(IGrainFactory grains, IEnumerable<Guid> users, long amountMinor)
    {
        var adminId = Guid.CreateVersion7();
        await Parallel.ForEachAsync(users, async (id, _) =>
            await grains.GetGrain<ICreditAccountGrain>(id).GrantByAdmin(new AdminGrant(adminId, $"bench-fund-{id}", amountMinor, "benchmark funding")));
    }
}
