using System.Security.Cryptography;

namespace NeXChange.TestSupport;

/// <summary>Keys and secrets of test hosts (signing keys, webhook secrets, store keys), drawn at random for each run: none is written in the code.</summary>
public static class TestSecrets
{
    /// <summary>48 random bytes in base64 (64 characters): longer than any minimum the hosts check.</summary>
    public static string New() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
}
