using Npgsql;

namespace NeXChange.Credits;

/// <summary>The fixed system accounts (migrations 0002 and 0027) and the opening of a user's two accounts.</summary>
public static class LedgerAccounts
{
    /// <summary>How many accounts each system kind has (migration 0027 creates exactly these).</summary>
    public const int SystemShards = 16;

    /// <summary>
    /// The shard a subject's postings use. The last byte of a UUID (v7 or v4) is random, so subjects spread evenly,
    /// and the same subject always lands on the same shard.
    /// </summary>
    public static int ShardOf(Guid subject)
    {
        Span<byte> bytes = stackalloc byte[16];
        subject.TryWriteBytes(bytes, bigEndian: true, out _);
        return bytes[15] % SystemShards;
    }

    /// <summary>The fixed id of a system account: the last 12 hex digits are shard * 256 + 1, 2 or 3 by kind.</summary>
    public static Guid SystemAccountId(AccountKind kind, int shard)
    {
        var number = kind switch
        {
            AccountKind.Issuance => 1,
            AccountKind.PlatformFees => 2,
            AccountKind.ConversionClearing => 3,
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a system account kind."),
        };
        if (shard is < 0 or >= SystemShards) throw new ArgumentOutOfRangeException(nameof(shard));
        return Guid.Parse($"00000000-0000-7000-8000-{shard * 256 + number:x12}");
    }

    /// <summary>Every system account with its id, for callers that cache the mapping.</summary>
    public static IEnumerable<(AccountRef Account, Guid Id)> SystemAccounts() =>
        from kind in new[] { AccountKind.Issuance, AccountKind.PlatformFees, AccountKind.ConversionClearing }
        from shard in Enumerable.Range(0, SystemShards)
        select (new AccountRef(kind, null, shard), SystemAccountId(kind, shard));

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
