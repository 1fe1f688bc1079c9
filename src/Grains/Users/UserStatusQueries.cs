using NeXChange.Credits;
using Npgsql;

namespace NeXChange.Users;

/// <summary>The ledger's view of a credit holder (unknown / unverified / eligible), read from the users table.</summary>
public sealed class UserStatusQueries(NpgsqlDataSource dataSource) : ICreditHolders
{
    public async Task<HolderStatus> GetStatusAsync(Guid userId)
    {
        await using var command = dataSource.CreateCommand("select email_verified from users where id = $1 and deleted_at is null");
        command.Parameters.Add(new() { Value = userId });
        return await command.ExecuteScalarAsync() switch
        {
            true => HolderStatus.Eligible,
            false => HolderStatus.Unverified,
            _ => HolderStatus.Unknown,
        };
    }
}
