namespace NeXChange.Users;

public static class EmailAddress
{
    public const int MaxLength = 254;

    /// <summary>The form stored and compared: trimmed and lower-cased (SPEC.md 3.1).</summary>
    public static string Normalize(string? email) => (email ?? "").Trim().ToLowerInvariant();

    /// <summary>One <c>@</c> with something on both sides and no whitespace; deliverability is what verification proves.</summary>
    public static bool HasValidShape(string normalized)
    {
        var at = normalized.IndexOf('@', StringComparison.Ordinal);
        return at > 0
            && at == normalized.LastIndexOf('@')
            && at < normalized.Length - 1
            && !normalized.Any(char.IsWhiteSpace);
    }
}
