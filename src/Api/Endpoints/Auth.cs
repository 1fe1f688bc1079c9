using Microsoft.AspNetCore.Http.HttpResults;
using NeXChange.Api.Auth;
using NeXChange.Api.OpenApi;
using NeXChange.Api.RateLimiting;
using NeXChange.Api.Validation;
using NeXChange.Errors;
using NeXChange.Users;

namespace NeXChange.Api.Endpoints;

/// <summary>Registration, login, token refresh, logout and email verification (SPEC.md 3.1-3.2, 8.2).</summary>
public static class Auth
{
    public sealed record RegisterRequest(string? Email, string? Password, string? DateOfBirth, string? ZipCode, string? City);
    public sealed record LoginRequest(string? Email, string? Password);
    public sealed record RefreshRequest(string? RefreshToken);
    public sealed record VerifyEmailRequest(string? Token);
    public sealed record PasswordResetRequest(string? Email);
    public sealed record PasswordResetConfirmation(string? Token, string? NewPassword);
    public sealed record VerificationResult(bool EmailVerified);
    public sealed record TokenPair(string AccessToken, string RefreshToken, int ExpiresIn);
    public sealed record SignedIn(MeView User, string AccessToken, string RefreshToken, int ExpiresIn);

    public static void Map(RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Auth");
        auth.MapPost("/register", Register).RateLimitedAs(RateLimitOptions.Register).Fails(400, 409, 429, 503);
        auth.MapPost("/login", Login).RateLimitedAs(RateLimitOptions.Login).Fails(400, 401, 429, 503);
        auth.MapPost("/refresh", Refresh).Fails(401, 503);
        auth.MapPost("/logout", Logout).RequireAuthorization().Fails(401);
        auth.MapPost("/logout-all", LogoutAll).RequireAuthorization().Fails(401);
        auth.MapPost("/verify-email", VerifyEmail).Fails(400);
        auth.MapPost("/password-reset", RequestReset).RateLimitedAs(RateLimitOptions.PasswordReset).Fails(400, 429, 503);
        auth.MapPost("/password-reset/confirm", ConfirmReset).Fails(400);
        auth.MapPost("/verify-email/resend", Resend).RequireAuthorization().RateLimitedAs(RateLimitOptions.PasswordReset).Fails(401, 409, 429);
    }

    private static async Task<Created<SignedIn>> Register(RegisterRequest body, IClusterClient cluster, SessionStore sessions,
        TokenIssuer tokens, HttpContext http)
    {
        var userId = Guid.CreateVersion7();
        var me = await cluster.GetGrain<IUserGrain>(userId).Register(
            new Registration(body.Email ?? "", body.Password ?? "", body.DateOfBirth ?? "", body.ZipCode ?? "", body.City ?? ""));
        var signedIn = await SignIn(new AuthIdentity(userId, me.Role, me.EmailVerified), me, sessions, tokens, http);
        return TypedResults.Created($"/api/v1/users/{userId}", signedIn);
    }

    private static async Task<Ok<SignedIn>> Login(LoginRequest body, IClusterClient cluster, SessionStore sessions,
        TokenIssuer tokens, HttpContext http)
    {
        var rules = new RequestRules();
        rules.Required("email", body.Email);
        rules.Required("password", body.Password);
        rules.ThrowIfInvalid();
        var identity = await cluster.GetGrain<IUserDirectoryGrain>(0).Login(body.Email!, body.Password!);
        var me = await cluster.GetGrain<IUserGrain>(identity.UserId).GetMe();
        return TypedResults.Ok(await SignIn(identity, me, sessions, tokens, http));
    }

    /// <summary>A session whose account is gone or whose role changed ends here, even if its revocation was missed.</summary>
    private static async Task<Ok<TokenPair>> Refresh(RefreshRequest body, SessionStore sessions, SessionGuard guard, TokenIssuer tokens,
        IClusterClient cluster)
    {
        if (string.IsNullOrEmpty(body.RefreshToken)) throw new DomainException(ErrorCodes.RefreshTokenInvalid);
        SessionStore.Rotated rotated;
        try
        {
            rotated = await sessions.RotateAsync(body.RefreshToken);
        }
        catch (RefreshTokenReuseException reuse)
        {
            // A stolen token replayed, or a client that lost the rotated one: the owner's audit trail shows it (SPEC.md 3.13).
            if (reuse.UserId is { } owner) await cluster.GetGrain<IUserGrain>(owner).RecordSessionReuse();
            throw new DomainException(ErrorCodes.RefreshTokenReused);
        }
        if (await guard.CurrentAsync(rotated.UserId, rotated.Role) is not { } identity)
        {
            await sessions.RevokeAsync(rotated.UserId, rotated.SessionId);
            throw new DomainException(ErrorCodes.RefreshTokenInvalid);
        }
        var (access, expiresIn) = tokens.Issue(identity, rotated.SessionId);
        return TypedResults.Ok(new TokenPair(access, rotated.RefreshToken, expiresIn));
    }

    private static async Task<NoContent> Logout(HttpContext http, SessionStore sessions)
    {
        await sessions.RevokeAsync(http.User.UserId(), http.User.SessionId());
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> LogoutAll(HttpContext http, SessionStore sessions)
    {
        await sessions.RevokeAllAsync(http.User.UserId());
        return TypedResults.NoContent();
    }

    private static async Task<Ok<VerificationResult>> VerifyEmail(VerifyEmailRequest body, IClusterClient cluster)
    {
        if (string.IsNullOrWhiteSpace(body.Token) || body.Token.Length > 200) throw new DomainException(ErrorCodes.TokenInvalid);
        await cluster.GetGrain<IUserDirectoryGrain>(0).VerifyEmail(body.Token);
        return TypedResults.Ok(new VerificationResult(true));
    }

    /// <summary>
    /// Always 202, whether or not the address has an account (no enumeration); the answer is given before any work
    /// that depends on the account, so its timing tells nothing either.
    /// </summary>
    private static async Task<Accepted> RequestReset(PasswordResetRequest body, IClusterClient cluster)
    {
        var rules = new RequestRules();
        rules.Length("email", rules.Required("email", body.Email), 3, 254);
        rules.ThrowIfInvalid();
        await cluster.GetGrain<IUserDirectoryGrain>(0).RequestPasswordReset(body.Email!);
        return TypedResults.Accepted((string?)null);
    }

    /// <summary>A reset ends every session of the account: whoever knew the old password is signed out.</summary>
    private static async Task<NoContent> ConfirmReset(PasswordResetConfirmation body, IClusterClient cluster, SessionStore sessions)
    {
        if (string.IsNullOrWhiteSpace(body.Token) || body.Token.Length > 200) throw new DomainException(ErrorCodes.TokenInvalid);
        var userId = await cluster.GetGrain<IUserDirectoryGrain>(0).ResetPassword(body.Token, body.NewPassword ?? "");
        await sessions.RevokeAllAsync(userId);
        return TypedResults.NoContent();
    }

    private static async Task<Accepted> Resend(HttpContext http, IClusterClient cluster)
    {
        await cluster.GetGrain<IUserGrain>(http.User.UserId()).ResendVerification();
        return TypedResults.Accepted((string?)null);
    }

    private static async Task<SignedIn> SignIn(AuthIdentity identity, MeProfile me, SessionStore sessions, TokenIssuer tokens, HttpContext http)
    {
        var session = await sessions.CreateAsync(identity.UserId, identity.Role, http.Request.Headers.UserAgent.ToString(),
            http.Connection.RemoteIpAddress?.ToString());
        var (access, expiresIn) = tokens.Issue(identity, session.SessionId);
        return new SignedIn(MeView.From(me), access, session.RefreshToken, expiresIn);
    }
}
