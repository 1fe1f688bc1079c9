using NeXChange.Errors;

namespace NeXChange.Users;

/// <summary>The password rules of SPEC.md 3.1, shared by registration, reset and change.</summary>
public static class PasswordPolicy
{
    public const int MinLength = 12;
    public const int MaxLength = 128;

    private static readonly HashSet<string> Common =
        new(EmbeddedText.Lines("common-passwords.txt"), StringComparer.OrdinalIgnoreCase);

    public static bool IsCommon(string password) => Common.Contains(password);

    /// <summary>The first broken rule for <paramref name="field"/>, or null; <paramref name="normalizedEmail"/> is the account's address.</summary>
    public static FieldError? Check(string field, string? password, string normalizedEmail)
    {
        if (string.IsNullOrEmpty(password)) return new(field, FieldCodes.Required, "A password is required.");
        if (password.Length < MinLength) return new(field, FieldCodes.TooShort, $"Use at least {MinLength} characters.");
        if (password.Length > MaxLength) return new(field, FieldCodes.TooLong, $"Use at most {MaxLength} characters.");
        if (IsCommon(password)) return new(field, FieldCodes.TooCommon, "This password is too common.");
        if (normalizedEmail.Length > 0 && string.Equals(password.Trim(), normalizedEmail, StringComparison.OrdinalIgnoreCase))
            return new(field, FieldCodes.TooCommon, "The password must not be your email address.");
        return null;
    }
}
