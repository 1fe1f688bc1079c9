using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace NeXChange.Users;

/// <summary>Single-use email tokens (SPEC.md 3.1): 32 random bytes, base64url; only the SHA-256 is stored.</summary>
public static class EmailTokens
{
    public const string Verify = "verify";
    public static readonly TimeSpan VerifyLifetime = TimeSpan.FromHours(24);
    public const string Reset = "reset";
    public static readonly TimeSpan ResetLifetime = TimeSpan.FromHours(1);

    public static (string Raw, string Hash) Create()
    {
        var raw = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        return (raw, Hash(raw));
    }

    public static string Hash(string raw) => Sha256Hex(raw);

    /// <summary>Also how audit rows name an email without storing it.</summary>
    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}

/// <summary>A token stored with a new account: the SHA-256 of the mailed token and when it stops working.</summary>
public sealed record VerificationToken(string Hash, DateTimeOffset ExpiresAt);
