using NeXChange.Users;

namespace NeXChange.Domain.Tests.Users;

public sealed class EmailAddressTests
{
    [Theory]
    [InlineData("  Ada@Example.COM ", "ada@example.com")]
    [InlineData("ADA@EXAMPLE.COM", "ada@example.com")]
    [InlineData(null, "")]
    public void emails_are_compared_trimmed_and_lower_cased(string? raw, string normalized) =>
        Assert.Equal(normalized, EmailAddress.Normalize(raw));

    [Fact]
    public void email_tokens_are_43_base64url_characters_stored_as_their_sha256()
    {
        var (raw, hash) = EmailTokens.Create();
        Assert.Matches("^[A-Za-z0-9_-]{43}$", raw);
        Assert.Equal(hash, EmailTokens.Hash(raw));
        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.NotEqual(raw, EmailTokens.Create().Raw);
    }
}
