using System.Security.Cryptography;
using System.Text;

namespace NeXChange.Storage;

/// <summary>
/// Signs <c>/media/{key}?expires={unix}&amp;sig={hex}</c> for the filesystem store, where every private key starts with
/// <c>private/</c> (the route <c>/media/private/{**rest}</c> serves them): HMAC-SHA256 over <c>"{key}\n{expires}"</c>,
/// so neither the key nor the expiry can be changed without the signing key.
/// </summary>
public sealed class MediaUrlSigner(string signingKey, TimeProvider time)
{
    private readonly byte[] secret = Encoding.UTF8.GetBytes(signingKey);

    public string SignedUrl(string publicBaseUrl, string key, TimeSpan lifetime)
    {
        if (!key.StartsWith("private/", StringComparison.Ordinal))
            throw new ArgumentException("Only private keys are signed; public ones have plain URLs.", nameof(key));
        var expires = time.GetUtcNow().Add(lifetime).ToUnixTimeSeconds();
        return $"{publicBaseUrl}/media/{key}?expires={expires}&sig={Signature(key, expires)}";
    }

    public string Signature(string key, long expires) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes($"{key}\n{expires}")));

    public bool Verify(string key, long expires, string signature)
    {
        if (!BlobKey.IsValid(key) || expires < time.GetUtcNow().ToUnixTimeSeconds()) return false;
        Span<byte> given = stackalloc byte[32];
        if (signature.Length != 64 || !Convert.FromHexString(signature, given, out _, out var written).Equals(System.Buffers.OperationStatus.Done) || written != 32)
            return false;
        var expected = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes($"{key}\n{expires}"));
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }
}
