using System.Security.Cryptography;

namespace NeXChange.TestSupport;

/// <summary>
/// Passwords of test accounts, drawn at random for each run: no credential is written in the code, and each one meets
/// SPEC.md 3.1's policy (12-128 characters, not a common password).
/// </summary>
public static class TestPasswords
{
    public static string New() => $"test pass {Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}";
}
