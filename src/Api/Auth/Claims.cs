using System.Security.Claims;
using NeXChange.Errors;

namespace NeXChange.Api.Auth;

/// <summary>The claims an access token carries (SPEC.md 3.2): ids and flags only, never PII.</summary>
public static class Claims
{
    public const string Subject = "sub";
    public const string Session = "sid";
    public const string Role = "role";
    public const string EmailVerified = "ev";

    public static Guid UserId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(Subject), out var id) ? id : throw new DomainException(ErrorCodes.Unauthenticated);

    public static string SessionId(this ClaimsPrincipal user) =>
        user.FindFirstValue(Session) ?? throw new DomainException(ErrorCodes.Unauthenticated);

    public static bool IsEmailVerified(this ClaimsPrincipal user) => user.FindFirstValue(EmailVerified) == "true";

    public static bool IsModerator(this ClaimsPrincipal user) =>
        user.FindFirstValue(Role) is Users.Roles.Moderator or Users.Roles.Admin;

    /// <summary>Who reads a resource that anonymous callers may see too.</summary>
    /// <summary>The caller of a trade endpoint: its user id, and whether it may act as a moderator.</summary>
    public static Trading.TradeCaller TradeCaller(this ClaimsPrincipal user) => new(user.UserId(), user.IsModerator());

    public static Items.Viewer Viewer(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? new Items.Viewer(user.UserId(), user.IsModerator()) : Items.Viewer.Anonymous;
}
