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

/// <summary>Names an account by what it is rather than by id, so a posting can be built (and hashed) without a database read.</summary>
public readonly record struct AccountRef(AccountKind Kind, Guid? OwnerId)
{
    public static AccountRef Available(Guid userId) => new(AccountKind.UserAvailable, userId);
    public static AccountRef Escrow(Guid userId) => new(AccountKind.UserEscrow, userId);
    public static readonly AccountRef Issuance = new(AccountKind.Issuance, null);
    public static readonly AccountRef Fees = new(AccountKind.PlatformFees, null);
    public static readonly AccountRef Clearing = new(AccountKind.ConversionClearing, null);

    public override string ToString() => $"{Kind.ToDb()}:{OwnerId?.ToString() ?? "-"}";
}
