namespace NeXChange.Users.Email;

/// <summary>The password-reset mail: the token in a link and on a line of its own (SPEC.md 3.1), nothing else personal.</summary>
public static class PasswordResetEmail
{
    public const string Subject = "Reset your NeXChange password";

    public static EmailMessage Create(string to, string token, string publicBaseUrl) => new(
        to,
        Subject,
        $"""
        Someone asked to reset the password of your NeXChange account.

        To choose a new password, open this link within one hour:
        {publicBaseUrl.TrimEnd('/')}/reset-password?token={token}

        Token: {token}

        If it was not you, ignore this message: your password stays as it is.
        """);
}
