using NeXChange.Credits;
using Npgsql;

namespace NeXChange.Users;

/// <summary>The ledger's view of credit holders (unknown / unverified / eligible, and the public name), read from the users table.</summary>
public sealed class UserStatusQueries(NpgsqlDataSource dataSource) : ICreditHolders
{
    public async Task<TransferParties> GetTransferPartiesAsync(Guid senderId, Guid recipientId)
    {
        await using var command = dataSource.CreateCommand("""
            select (select email_verified from users where id = $2 and deleted_at is null),
                   (select display_name from users where id = $1)
            """);
        command.Parameters.Add(new() { Value = senderId });
        command.Parameters.Add(new() { Value = recipientId });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var recipient = reader.IsDBNull(0) ? HolderStatus.Unknown : reader.GetBoolean(0) ? HolderStatus.Eligible : HolderStatus.Unverified;
        return new TransferParties(recipient, reader.IsDBNull(1) ? null : reader.GetString(1));
    }
}
