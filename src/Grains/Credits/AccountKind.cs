namespace NeXChange.Credits;

/// <summary>The account kinds of SPEC.md 2.2; the database stores <see cref="AccountKinds.ToDb"/>.</summary>
public enum AccountKind
{
    UserAvailable,
    UserEscrow,
    Issuance,
    PlatformFees,
    ConversionClearing,
}

public static class AccountKinds
{
    public static string ToDb(this AccountKind kind) => kind switch
    {
        AccountKind.UserAvailable => "USER_AVAILABLE",
        AccountKind.UserEscrow => "USER_ESCROW",
        AccountKind.Issuance => "ISSUANCE",
        AccountKind.PlatformFees => "PLATFORM_FEES",
        AccountKind.ConversionClearing => "CONVERSION_CLEARING",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static AccountKind FromDb(string kind) =>
        Enum.GetValues<AccountKind>().Single(k => k.ToDb() == kind);
}

/// <summary>
/// Names an account by what it is rather than by id, so a posting can be built (and hashed) without a database read.
/// A system account is one of <see cref="LedgerAccounts.SystemShards"/> shards of its kind (migration 0027); a
/// user's accounts are shard 0.
/// </summary>
public readonly record struct AccountRef(AccountKind Kind, Guid? OwnerId, int Shard = 0)
{
    public static AccountRef Available(Guid userId) => new(AccountKind.UserAvailable, userId);
    public static AccountRef Escrow(Guid userId) => new(AccountKind.UserEscrow, userId);

    /// <summary>The ISSUANCE shard of <paramref name="subject"/> (the user or conversion the posting is about).</summary>
    public static AccountRef Issuance(Guid subject) => new(AccountKind.Issuance, null, LedgerAccounts.ShardOf(subject));

    /// <summary>The PLATFORM_FEES shard of a trade: its hold and its refund book the fee on the same shard.</summary>
    public static AccountRef Fees(Guid tradeId) => new(AccountKind.PlatformFees, null, LedgerAccounts.ShardOf(tradeId));

    /// <summary>The CONVERSION_CLEARING shard of a conversion: its start and its settle or fail use the same shard.</summary>
    public static AccountRef Clearing(Guid conversionId) => new(AccountKind.ConversionClearing, null, LedgerAccounts.ShardOf(conversionId));

    /// <summary>The account without its shard: what a request is (SPEC.md 2.7's request hash), not where it is booked.</summary>
    public string Name => $"{Kind.ToDb()}:{OwnerId?.ToString() ?? "-"}";

    public override string ToString() => OwnerId is null ? $"{Name}#{Shard}" : Name;
}
