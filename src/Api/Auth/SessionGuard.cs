using System.Security.Claims;
using NeXChange.Users;

namespace NeXChange.Api.Auth;

/// <summary>
/// Whether a token still speaks for its user (SPEC.md 3.2, 3.3): its session is live and the role it was issued with
/// is the user's role now. A role change is one database write and every request and every refresh compares with
/// it, so a demotion holds even when the API dies between changing the role and revoking the sessions in Redis.
/// </summary>
public sealed class SessionGuard(SessionStore sessions, IClusterClient cluster)
{
    /// <summary>Why the access token must be refused, or null to accept it.</summary>
    public async Task<string?> RefusalAsync(ClaimsPrincipal token)
    {
        var sessionId = token.FindFirstValue(Claims.Session);
        if (sessionId is null || !await sessions.IsLiveAsync(sessionId)) return "session revoked";
        if (!Guid.TryParse(token.FindFirstValue(Claims.Subject), out var userId)) return "no subject";
        try
        {
            return await CurrentAsync(userId, token.FindFirstValue(Claims.Role)) is null ? "account gone or role changed" : null;
        }
        catch (Exception e) when (e is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException)
        {
            // Fails open like the Redis check (SPEC.md 3.2): the token is trusted until it expires, and the endpoint,
            // which needs the cluster too, answers 503 by itself.
            return null;
        }
    }

    /// <summary>The user's identity now if the account still exists with <paramref name="role"/>; otherwise null.</summary>
    public async Task<AuthIdentity?> CurrentAsync(Guid userId, string? role)
    {
        var current = await cluster.GetGrain<IUserGrain>(userId).GetSessionIdentity();
        return current is not null && current.Role == role ? current : null;
    }
}
