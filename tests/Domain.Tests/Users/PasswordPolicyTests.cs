using System.Security.Cryptography;
using NeXChange.Users;

namespace NeXChange.Domain.Tests.Users;

public sealed class PasswordPolicyTests
{
    private const string Email = "ada@example.com";

    /// <summary>A random password of <paramref name="length"/> characters (no credential is written in the code).</summary>
    private static string Random(int length) => RandomNumberGenerator.GetHexString(length, lowercase: true);

    [Theory]
    [InlineData("", "required")]
    [InlineData("password1234", "too_common")]
    [InlineData("PassWord1234", "too_common")]           // the list is compared ignoring case
    [InlineData("QWERTYUIOP123", "too_common")]
    [InlineData("ada@example.com", "too_common")]        // equal to the email
    [InlineData("ADA@Example.com", "too_common")]
    public void weak_passwords_are_refused_with_the_rule_they_break(string password, string code)
    {
        var error = PasswordPolicy.Check("password", password, Email);
        Assert.NotNull(error);
        Assert.Equal(("password", code), (error.Field, error.Code));
    }

    [Fact]
    public void passwords_shorter_than_12_characters_are_too_short() =>
        Assert.Equal("too_short", PasswordPolicy.Check("password", Random(11), Email)?.Code);

    [Fact]
    public void passwords_longer_than_128_characters_are_too_long() =>
        Assert.Equal("too_long", PasswordPolicy.Check("password", Random(129), Email)?.Code);

    [Theory]
    [InlineData(12)]
    [InlineData(128)]
    public void lengths_12_and_128_are_accepted(int length) =>
        Assert.Null(PasswordPolicy.Check("password", Random(length), Email));

    [Fact]
    public void the_bundled_list_holds_hundreds_of_long_common_passwords()
    {
        var list = typeof(PasswordPolicy).Assembly.GetManifestResourceNames().Single(n => n.EndsWith("common-passwords.txt", StringComparison.Ordinal));
        using var reader = new StreamReader(typeof(PasswordPolicy).Assembly.GetManifestResourceStream(list)!);
        var entries = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(entries.Length >= 300, $"{entries.Length}");
        // Shorter entries could never match: the length rule already refuses them.
        Assert.All(entries, e => Assert.True(e.Length >= PasswordPolicy.MinLength, e));
    }

    [Fact]
    public void the_error_names_the_field_it_was_asked_about() =>
        Assert.Equal("newPassword", PasswordPolicy.Check("newPassword", Random(5), Email)?.Field);
}
