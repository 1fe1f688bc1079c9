namespace NeXChange.Users.Email;

/// <summary>The verification mail: the token in a link and on a line of its own (SPEC.md 3.1), nothing else personal.</summary>
public static class VerificationEmail
{
    public const string Subject = "Confirm your NeXChange email address";

    public static EmailMessage Create(string to, string token, string publicBaseUrl) => new(
        to,
        Subject,
        $"""
        Welcome to NeXChange!

        Please confirm your email address by opening this link within 24 hours:
        {publicBaseUrl.TrimEnd('/')}/verify-email?token={token}

        Token: {token}

        If you did not create an account, you can ignore this message.
        """);
}
