using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace NeXChange.Users;

/// <summary>Generated display names (SPEC.md 3.4): Adjective + Noun + "_" + NNNN from curated lists.</summary>
public static partial class DisplayNames
{
    /// <summary>A collision (unique index) is retried this many times before giving up with 503.</summary>
    public const int MaxAttempts = 50;

    /// <summary>A name can be regenerated this long after it was generated (registration counts).</summary>
    public static readonly TimeSpan Cooldown = TimeSpan.FromDays(30);

    public static IReadOnlyList<string> Adjectives { get; } = EmbeddedText.Lines("adjectives.txt");
    public static IReadOnlyList<string> Nouns { get; } = EmbeddedText.Lines("nouns.txt");

    [GeneratedRegex("^[A-Z][a-z]+[A-Z][a-z]+_[1-9][0-9]{3}$")]
    public static partial Regex Pattern();

    /// <summary>A cryptographic RNG, so names cannot be predicted from earlier ones.</summary>
    public static string Generate() =>
        string.Concat(
            Adjectives[RandomNumberGenerator.GetInt32(Adjectives.Count)],
            Nouns[RandomNumberGenerator.GetInt32(Nouns.Count)],
            "_",
            RandomNumberGenerator.GetInt32(1000, 10000).ToString(System.Globalization.CultureInfo.InvariantCulture));
}
