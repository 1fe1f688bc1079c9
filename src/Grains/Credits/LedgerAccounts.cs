using Npgsql;

namespace NeXChange.Credits;

/// <summary>The fixed system accounts (created by migration 0002) and the opening of a user's two accounts.</summary>
public static class LedgerAccounts
{
    public static readonly Guid Issuance = Guid.Parse("00000000-0000-7000-8000-000000000001");
    public static readonly Guid PlatformFees = Guid.Parse("00000000-0000-7000-8000-000000000002");
    public static readonly Guid ConversionClearing = Guid.Parse("00000000-0000-7000-8000-000000000003");

    /// <summary>
    /// Inserts the user's USER_AVAILABLE and USER_ESCROW accounts. Called by registration inside its own database
    /// transaction so that a user never exists without them (SPEC.md 2.2); calling it again changes nothing.
    /// </summary>
    public static async Task OpenUserAccountsAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid userId,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            insert into ledger.accounts (id, kind, owner_id)
            values ($1, 'USER_AVAILABLE', $3), ($2, 'USER_ESCROW', $3)
            on conflict do nothing
            """, connection, transaction);
        command.Parameters.Add(new() { Value = Guid.CreateVersion7() });
        command.Parameters.Add(new() { Value = Guid.CreateVersion7() });
        command.Parameters.Add(new() { Value = userId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
