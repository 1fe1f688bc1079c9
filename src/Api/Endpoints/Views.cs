using NeXChange.Users;

namespace NeXChange.Api.Endpoints;

/// <summary>PublicProfile of SPEC.md 8.1: the one shape that shows another user, with no private fields.</summary>
public sealed record PublicProfileView(Guid Id, string DisplayName, string AvatarUrl, decimal? RatingAverage, int RatingCount,
    int CompletedTrades, decimal? CompletionRate, decimal? OnTimeArrivalRate, bool Verified, string MemberSince, string GeneralArea)
{
    public static PublicProfileView From(PublicProfile p) => new(p.Id, p.DisplayName, p.AvatarUrl, p.RatingAverage, p.RatingCount,
        p.CompletedTrades, p.CompletionRate, p.OnTimeArrivalRate, p.Verified, p.MemberSince, p.GeneralArea);
}

/// <summary>Me = PublicProfile + the caller's private fields.</summary>
public sealed record MeView(Guid Id, string DisplayName, string AvatarUrl, decimal? RatingAverage, int RatingCount,
    int CompletedTrades, decimal? CompletionRate, decimal? OnTimeArrivalRate, bool Verified, string MemberSince, string GeneralArea,
    string Email, bool EmailVerified, string Role, string VerificationStatus, string DateOfBirth, string ZipCode, string City,
    string? FullName, string? Phone, string? VehicleDescription, bool HasPhoto, DateTimeOffset DisplayNameChangeableAt,
    int NoShowCount, DateTimeOffset CreatedAt)
{
    public static MeView From(MeProfile me)
    {
        var p = me.Public;
        return new(p.Id, p.DisplayName, p.AvatarUrl, p.RatingAverage, p.RatingCount, p.CompletedTrades, p.CompletionRate,
            p.OnTimeArrivalRate, p.Verified, p.MemberSince, p.GeneralArea, me.Email, me.EmailVerified, me.Role,
            me.VerificationStatus, me.DateOfBirth, me.ZipCode, me.City, me.FullName, me.Phone, me.VehicleDescription,
            me.HasPhoto, me.DisplayNameChangeableAt, me.NoShowCount, me.CreatedAt);
    }
}
