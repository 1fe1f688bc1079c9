using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using NeXChange.Users;

namespace NeXChange.Api.Auth;

/// <summary>Signs 15-minute HS256 access tokens for a session.</summary>
public sealed class TokenIssuer(JwtOptions options, TimeProvider time)
{
    private readonly JsonWebTokenHandler handler = new() { SetDefaultTimesOnTokenCreation = false };

    public (string Token, int ExpiresIn) Issue(AuthIdentity identity, string sessionId)
    {
        var now = time.GetUtcNow();
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = JwtOptions.Issuer,
            Audience = JwtOptions.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + options.AccessTokenLifetime).UtcDateTime,
            Subject = new ClaimsIdentity(
            [
                new Claim(Claims.Subject, identity.UserId.ToString()),
                new Claim(Claims.Session, sessionId),
                new Claim(Claims.Role, identity.Role),
                new Claim(Claims.EmailVerified, identity.EmailVerified ? "true" : "false", ClaimValueTypes.Boolean),
                new Claim("jti", Guid.CreateVersion7().ToString()),
            ]),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(options.KeyBytes), SecurityAlgorithms.HmacSha256),
        };
        return (handler.CreateToken(descriptor), (int)options.AccessTokenLifetime.TotalSeconds);
    }
}
