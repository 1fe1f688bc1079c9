namespace NeXChange.Users;

/// <summary>
/// The short public profile (SPEC.md 8.1) shown inside lists such as search results, trades and feedback.
/// Like <see cref="PublicProfile"/> it has no field for tier-3 data (3.6).
/// </summary>
[GenerateSerializer, Alias("NeXChange.Users.PublicProfileLite")]
public sealed record PublicProfileLite(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] string? AvatarUrl,
    [property: Id(3)] decimal? RatingAverage,
    [property: Id(4)] int RatingCount,
    [property: Id(5)] bool Verified)
{
    /// <summary>The short form of <paramref name="profile"/>; a deleted user (no profile) appears as "Deleted user" with no avatar (SPEC.md 3.6).</summary>
    public static PublicProfileLite Of(Guid userId, PublicProfile? profile) => profile is { } p
        ? new PublicProfileLite(p.Id, p.DisplayName, p.AvatarUrl, p.RatingAverage, p.RatingCount, p.Verified)
        : new PublicProfileLite(userId, "Deleted user", null, null, 0, false);
}
