using System.Security.Cryptography;

namespace NeXChange.TestSupport;

/// <summary>
/// Passwords of test accounts, drawn at random for each run: no credential is written in the code, and each one meets
/// SPEC.md 3.1's policy (12-128 characters, not a common password).
/// </summary>
public static class TestPasswords
{
    public static string New() => $"test pass {Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}";

    /// <summary>One character below SPEC.md 3.1's minimum of 12: refused by the policy whatever else it is.</summary>
    public static string TooShort() => New()[^11..];
}
