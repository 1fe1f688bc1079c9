using NeXChange.Errors;

namespace NeXChange.Users;

public static class EmailAddress
{
    public const int MaxLength = 254;

    /// <summary>The form stored and compared: trimmed and lower-cased (SPEC.md 3.1).</summary>
    public static string Normalize(string? email) => (email ?? "").Trim().ToLowerInvariant();

    /// <summary>The first broken rule of SPEC.md 3.1 for <paramref name="field"/>, or null; shared by registration and the operator CLI.</summary>
    public static FieldError? Check(string field, string normalized)
    {
        if (normalized.Length == 0) return new(field, FieldCodes.Required, "An email address is required.");
        if (normalized.Length > MaxLength) return new(field, FieldCodes.TooLong, $"Use at most {MaxLength} characters.");
        if (!HasValidShape(normalized)) return new(field, FieldCodes.InvalidFormat, "This is not an email address.");
        return null;
    }

    /// <summary>One <c>@</c> with something on both sides and no whitespace; deliverability is what verification proves.</summary>
    private static bool HasValidShape(string normalized)
    {
        var at = normalized.IndexOf('@', StringComparison.Ordinal);
        return at > 0
            && at == normalized.LastIndexOf('@')
            && at < normalized.Length - 1
            && !normalized.Any(char.IsWhiteSpace);
    }
}
