using Npgsql;

namespace NeXChange.Users;

/// <summary>
/// What the ledger needs to know about a credit holder (unknown / unverified / eligible), read from the users
/// table; wired to the ledger's port when the modules meet.
/// </summary>
public sealed class UserStatusQueries(NpgsqlDataSource dataSource)
{
    public async Task<(bool exists, bool emailVerified)> GetAsync(Guid userId)
    {
        await using var command = dataSource.CreateCommand("select email_verified from users where id = $1 and deleted_at is null");
        command.Parameters.Add(new() { Value = userId });
        return await command.ExecuteScalarAsync() is bool verified ? (true, verified) : (false, false);
    }
}
