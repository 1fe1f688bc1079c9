namespace NeXChange.Users;

public static class Roles
{
    public const string User = "user";
    public const string Moderator = "moderator";
    public const string Admin = "admin";

    /// <summary>Each role includes the lower ones (SPEC.md 3.3).</summary>
    public static int Rank(string role) => role switch { Admin => 2, Moderator => 1, _ => 0 };
}

[GenerateSerializer, Alias("NeXChange.Users.Registration")]
public sealed record Registration(
    [property: Id(0)] string Email,
    [property: Id(1)] string Password,
    [property: Id(2)] string DateOfBirth,
    [property: Id(3)] string ZipCode,
    [property: Id(4)] string City)
{
    // Logs and traces print records (Orleans traces every response body): ids only, never personal data (SPEC.md 10).
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("personal data withheld");
        return true;
    }
}

[GenerateSerializer, Alias("NeXChange.Users.AuthIdentity")]
public sealed record AuthIdentity(
    [property: Id(0)] Guid UserId,
    [property: Id(1)] string Role,
    [property: Id(2)] bool EmailVerified);

[GenerateSerializer, Alias("NeXChange.Users.PublicProfile")]
public sealed record PublicProfile(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] string AvatarUrl,
    [property: Id(3)] decimal? RatingAverage,
    [property: Id(4)] int RatingCount,
    [property: Id(5)] int CompletedTrades,
    [property: Id(6)] decimal? CompletionRate,
    [property: Id(7)] decimal? OnTimeArrivalRate,
    [property: Id(8)] bool Verified,
    [property: Id(9)] string MemberSince,
    [property: Id(10)] string GeneralArea);

/// <summary>The caller's own view: the public profile plus private fields (SPEC.md 8.1 "Me").</summary>
[GenerateSerializer, Alias("NeXChange.Users.MeProfile")]
public sealed record MeProfile(
    [property: Id(0)] PublicProfile Public,
    [property: Id(1)] string Email,
    [property: Id(2)] bool EmailVerified,
    [property: Id(3)] string Role,
    [property: Id(4)] string VerificationStatus,
    [property: Id(5)] string DateOfBirth,
    [property: Id(6)] string ZipCode,
    [property: Id(7)] string City,
    [property: Id(8)] string? FullName,
    [property: Id(9)] string? Phone,
    [property: Id(10)] string? VehicleDescription,
    [property: Id(11)] bool HasPhoto,
    [property: Id(12)] DateTimeOffset DisplayNameChangeableAt,
    [property: Id(13)] int NoShowCount,
    [property: Id(14)] DateTimeOffset CreatedAt)
{
    // No personal data in logs and traces, as in Registration.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Id = ").Append(Public.Id);
        return true;
    }
}

[GenerateSerializer, Alias("NeXChange.Users.UserArea")]
public sealed record UserArea(
    [property: Id(0)] string GeneralArea,
    [property: Id(1)] decimal? Lat,
    [property: Id(2)] decimal? Lng)
{
    // No personal data in logs and traces, as in Registration.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("GeneralArea = ").Append(GeneralArea);
        return true;
    }
}

/// <summary>
/// PATCH /me (SPEC.md 8.2): <see cref="Present"/> names the properties sent; a present null clears fullName, phone or
/// vehicleDescription; zipCode and city change together. <see cref="DateOfBirth"/> is never present in a PATCH: only a
/// rectification request (3.10) changes it.
/// </summary>
[GenerateSerializer, Alias("NeXChange.Users.ProfileChanges")]
public sealed record ProfileChanges(
    [property: Id(0)] string? FullName,
    [property: Id(1)] string? Phone,
    [property: Id(2)] string? ZipCode,
    [property: Id(3)] string? City,
    [property: Id(4)] string? VehicleDescription,
    [property: Id(5)] IReadOnlySet<string> Present,
    [property: Id(6)] string? DateOfBirth = null)
{
    // No personal data in logs and traces, as in Registration.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Present = ").AppendJoin(", ", Present);
        return true;
    }
}

/// <summary>The account settings of SPEC.md 3.9.</summary>
[GenerateSerializer, Alias("NeXChange.Users.AccountSettings")]
public sealed record AccountSettings(
    [property: Id(0)] bool EmailOffers,
    [property: Id(1)] bool EmailEscrow,
    [property: Id(2)] bool EmailDisputes,
    [property: Id(3)] string Units,
    [property: Id(4)] string Timezone)
{
    public static readonly AccountSettings Default = new(true, true, true, "mi", "America/New_York");
}

[GenerateSerializer, Alias("NeXChange.Users.DisplayNameChange")]
public sealed record DisplayNameChange(
    [property: Id(0)] string DisplayName,
    [property: Id(1)] string PreviousDisplayName,
    [property: Id(2)] DateTimeOffset ChangeableAt);

/// <summary>What a trade counterparty may see while escrow is held (SPEC.md 3.6 tier 2).</summary>
[GenerateSerializer, Alias("NeXChange.Users.RevealedIdentity")]
public sealed record RevealedIdentity(
    [property: Id(0)] string? PhotoUrl,
    [property: Id(1)] DateTimeOffset? PhotoUrlExpiresAt,
    [property: Id(2)] string? VehicleDescription)
{
    // A signed URL is a bearer credential and the vehicle description is private: neither reaches a log line.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("HasPhoto = ").Append(PhotoUrl is not null);
        return true;
    }
}
