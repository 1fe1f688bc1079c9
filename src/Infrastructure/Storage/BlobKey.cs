using System.Buffers;

namespace NeXChange.Storage;

/// <summary>
/// The shape every key must have: '/'-separated segments of <c>[A-Za-z0-9._-]</c>, none empty and none starting with
/// a dot. That rules out <c>..</c>, <c>.</c>, absolute paths, backslashes and drive letters, so a key maps to a path
/// strictly inside the filesystem root, and the filesystem store may keep its temp files under a dot folder.
/// </summary>
public static class BlobKey
{
    public const int MaxLength = 512;

    private static readonly SearchValues<char> Allowed =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-/");

    public static bool IsValid(string? key) =>
        !string.IsNullOrEmpty(key) && key.Length <= MaxLength && !key.EndsWith('/') && IsValidPrefix(key);

    /// <summary>A list prefix: empty, or a key-shaped string that may end with '/'.</summary>
    public static bool IsValidPrefix(string? prefix)
    {
        if (prefix is null || prefix.Length > MaxLength) return false;
        if (prefix.Length == 0) return true;
        if (prefix.AsSpan().ContainsAnyExcept(Allowed)) return false;
        var segments = prefix.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var last = i == segments.Length - 1;
            if (segments[i].Length == 0 && !(last && i > 0)) return false;
            if (segments[i].StartsWith('.')) return false;
        }
        return true;
    }

    public static string Check(string key) =>
        IsValid(key) ? key : throw new ArgumentException("Invalid blob key.", nameof(key));

    public static string CheckPrefix(string prefix) =>
        IsValidPrefix(prefix) ? prefix : throw new ArgumentException("Invalid blob key prefix.", nameof(prefix));
}
