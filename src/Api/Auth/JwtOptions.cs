using System.Text;

namespace NeXChange.Api.Auth;

public sealed class JwtOptions
{
    public const string Issuer = "nexchange";
    public const string Audience = "nexchange-api";

    /// <summary>HS256 key, at least 256 bits, from configuration (never committed).</summary>
    public required string SigningKey { get; init; }

    public TimeSpan AccessTokenLifetime { get; init; } = TimeSpan.FromMinutes(15);

    public TimeSpan RefreshLifetime { get; init; } = TimeSpan.FromDays(30);

    public byte[] KeyBytes => Encoding.UTF8.GetBytes(SigningKey);

    public static JwtOptions From(IConfiguration configuration)
    {
        var key = NeXChange.Hosting.Settings.Require(configuration, "Jwt:SigningKey");
        if (Encoding.UTF8.GetByteCount(key) < 32)
            throw new InvalidOperationException("Setting 'Jwt:SigningKey' must be at least 32 bytes (256 bits).");
        return new JwtOptions { SigningKey = key };
    }
}
