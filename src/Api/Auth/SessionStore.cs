using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using NeXChange.Errors;
using NeXChange.Sessions;
using StackExchange.Redis;
using static NeXChange.Sessions.RefreshSessions;

namespace NeXChange.Api.Auth;

/// <summary>
/// Refresh sessions in Redis (SPEC.md 3.2). A refresh token is <c>{sessionId}.{secret}</c>; only SHA-256 of
/// the secret is stored, with every retired hash of the session so that reuse of a rotated token is detected
/// and revokes the whole session. Rotation is one Lua script, so two concurrent refreshes with the same token
/// cannot both succeed. The absolute lifetime is fixed at login; rotation never extends it. A session also keeps the
/// role it was opened with: <see cref="SessionGuard"/> ends it once the user's role differs.
/// </summary>
public sealed class SessionStore(IConnectionMultiplexer redis, JwtOptions options, TimeProvider time)
{
    private const string RotateScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return {'invalid', ''} end
        local expires = tonumber(redis.call('HGET', KEYS[1], 'expiresAt'))
        if expires <= tonumber(ARGV[3]) then return {'invalid', ''} end
        local user = redis.call('HGET', KEYS[1], 'userId')
        if redis.call('HGET', KEYS[1], 'current') == ARGV[1] then
          redis.call('HSET', KEYS[1], 'current', ARGV[2])
          redis.call('SADD', KEYS[2], ARGV[1])
          redis.call('PEXPIREAT', KEYS[2], expires)
          return {'ok', user, redis.call('HGET', KEYS[1], 'role')}
        end
        if redis.call('SISMEMBER', KEYS[2], ARGV[1]) == 1 then
          redis.call('DEL', KEYS[1], KEYS[2])
          return {'reused', user}
        end
        return {'invalid', ''}
        """;

    public sealed record Created(string SessionId, string RefreshToken);

    /// <summary>A new token pair's session; <see cref="Role"/> is the role the session was opened with.</summary>
    public sealed record Rotated(Guid UserId, string? Role, string SessionId, string RefreshToken);

    /// <summary>A session that ends after <paramref name="lifetime"/> (the refresh lifetime unless given).</summary>
    public async Task<Created> CreateAsync(Guid userId, string role, string? userAgent, string? ip, TimeSpan? lifetime = null)
    {
        var sessionId = Guid.CreateVersion7().ToString("N");
        var (secret, hash) = NewSecret();
        var now = time.GetUtcNow();
        var expires = now + (lifetime ?? options.RefreshLifetime);
        var db = redis.GetDatabase();
        var batch = db.CreateTransaction();
        _ = batch.HashSetAsync(SessionKey(sessionId),
        [
            new("userId", userId.ToString()),
            new("role", role),
            new("familyStart", now.ToUnixTimeMilliseconds()),
            new("expiresAt", expires.ToUnixTimeMilliseconds()),
            new("current", hash),
            new("userAgent", Truncate(userAgent, 200)),
            new("ip", ip ?? ""),
        ]);
        _ = batch.KeyExpireAsync(SessionKey(sessionId), expires.UtcDateTime);
        _ = batch.SetAddAsync(UserKey(userId), sessionId);
        // Never shorter than the longest session it lists, or logout-all would miss that session.
        _ = batch.KeyExpireAsync(UserKey(userId), options.RefreshLifetime);
        await batch.ExecuteAsync();
        return new Created(sessionId, $"{sessionId}.{secret}");
    }

    public async Task<Rotated> RotateAsync(string refreshToken)
    {
        var dot = refreshToken.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || refreshToken.Length > 200) throw new DomainException(ErrorCodes.RefreshTokenInvalid);
        var sessionId = refreshToken[..dot];
        var (secret, hash) = NewSecret();
        var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(RotateScript,
            [SessionKey(sessionId), UsedKey(sessionId)],
            [Hash(refreshToken[(dot + 1)..]), hash, time.GetUtcNow().ToUnixTimeMilliseconds()]))!;
        switch ((string?)result[0])
        {
            case "ok":
                return new Rotated(Guid.Parse((string)result[1]!), (string?)result[2], sessionId, $"{sessionId}.{secret}");
            case "reused":
                Guid? owner = Guid.TryParse((string?)result[1], out var user) ? user : null;
                if (owner is not null) await redis.GetDatabase().SetRemoveAsync(UserKey(user), sessionId);
                throw new RefreshTokenReuseException(owner);
            default:
                throw new DomainException(ErrorCodes.RefreshTokenInvalid);
        }
    }

    /// <summary>Whether an access token's session is still live. Fails open when Redis is down (SPEC.md 3.2).</summary>
    public async Task<bool> IsLiveAsync(string sessionId)
    {
        try
        {
            return await redis.GetDatabase().KeyExistsAsync(SessionKey(sessionId));
        }
        catch (RedisException)
        {
            return true;
        }
    }

    public async Task RevokeAsync(Guid userId, string sessionId)
    {
        var db = redis.GetDatabase();
        await db.KeyDeleteAsync([SessionKey(sessionId), UsedKey(sessionId)]);
        await db.SetRemoveAsync(UserKey(userId), sessionId);
    }

    /// <summary>Ends every session of the user but <paramref name="keep"/> (the caller's own, after a password change).</summary>
    public Task RevokeAllAsync(Guid userId, string? keep = null) => RefreshSessions.RevokeAllAsync(redis.GetDatabase(), userId, keep);

    private static (string Secret, string Hash) NewSecret()
    {
        var secret = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        return (secret, Hash(secret));
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Truncate(string? value, int max) => value is null ? "" : value.Length <= max ? value : value[..max];
}

/// <summary>A rotated refresh token was presented again: its session is revoked. <see cref="UserId"/> is whose it was.</summary>
public sealed class RefreshTokenReuseException(Guid? userId) : Exception("A rotated refresh token was presented again.")
{
    public Guid? UserId { get; } = userId;
}
