using StackExchange.Redis;

namespace NeXChange.Sessions;

/// <summary>
/// Where refresh sessions live in Redis (SPEC.md 3.2). The API creates, rotates and ends them; the silo ends them too,
/// when a DSR delete closes the account (3.10), so the key layout is shared here.
/// </summary>
public static class RefreshSessions
{
    public static RedisKey SessionKey(string sessionId) => $"session:{sessionId}";
    public static RedisKey UsedKey(string sessionId) => $"session:{sessionId}:used";
    public static RedisKey UserKey(Guid userId) => $"user-sessions:{userId}";

    /// <summary>Ends every session of the user but <paramref name="keep"/> (the caller's own, after a password change).</summary>
    public static async Task RevokeAllAsync(IDatabase db, Guid userId, string? keep = null)
    {
        foreach (var sessionId in await db.SetMembersAsync(UserKey(userId)))
        {
            if (sessionId == keep) continue;
            await db.KeyDeleteAsync([SessionKey(sessionId!), UsedKey(sessionId!)]);
            await db.SetRemoveAsync(UserKey(userId), sessionId);
        }
    }
}
