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
}
