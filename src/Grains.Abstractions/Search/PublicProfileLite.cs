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
    [property: Id(5)] bool Verified);
