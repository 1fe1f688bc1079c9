namespace NeXChange.Users;

/// <summary>One row of the users table, as the UserGrain caches it.</summary>
public sealed record UserRecord(
    Guid Id,
    string Email,
    string? PasswordHash,
    DateOnly? DateOfBirth,
    string? ZipCode,
    string? City,
    AreaPoint? Area,
    string Role,
    bool EmailVerified,
    bool SignupGranted,
    string VerificationStatus,
    string DisplayName,
    DateTimeOffset DisplayNameGeneratedAt,
    string? FullName,
    string? Phone,
    string? VehicleDescription,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? DeletedAt)
{
    public bool IsDeleted => DeletedAt is not null;

    /// <summary>The private profile photo, if any (SPEC.md 3.7).</summary>
    public Images.StoredPhoto? Photo { get; init; }

    /// <summary>The account settings; null until the user first saves them (the defaults apply).</summary>
    public AccountSettings? Settings { get; init; }

    // Never the email, password hash or other personal data in a log line or exception message (SPEC.md 10).
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Id = ").Append(Id);
        return true;
    }
}
