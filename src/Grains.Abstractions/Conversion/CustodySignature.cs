using System.Security.Cryptography;
using System.Text;

namespace NeXChange.Conversion;

/// <summary>
/// The custody webhook signature (SPEC.md 7.4): <c>sha256=</c> and 64 lower-case hex digits of HMAC-SHA256 keyed with
/// the UTF-8 bytes of the shared secret over the raw body. The API verifies it; the sandbox partner signs with it.
/// </summary>
public static class CustodySignature
{
    public const string Header = "X-Custody-Signature";
    private const string Prefix = "sha256=";

    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>
    /// True when <paramref name="header"/> is the signature of <paramref name="body"/> under any of the secrets (the
    /// current and the previous one, during a rotation). The digests are compared in constant time, and every secret
    /// is tried, so the time taken says nothing about which one matched or how much of the header was right.
    /// </summary>
    public static bool Verify(string? header, ReadOnlySpan<byte> body, IEnumerable<string> secrets)
    {
        if (header is not { Length: 71 } || !header.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var hex = header.AsSpan(Prefix.Length);
        foreach (var c in hex)
        {
            if (c is not (>= '0' and <= '9' or >= 'a' and <= 'f')) return false;
        }
        var given = Convert.FromHexString(hex);
        var match = false;
        foreach (var secret in secrets)
            match |= CryptographicOperations.FixedTimeEquals(given, HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
        return match;
    }
}
