using System.Globalization;

namespace NeXChange.Users;

/// <summary>
/// The generic avatar of SPEC.md 3.5: a rounded square in a colour derived from the display name, with the two
/// initials. The colour index is frozen: changing it would change every user's avatar.
/// </summary>
public static class Avatar
{
    public const int DefaultSize = 64;
    public const int MinSize = 16;
    public const int MaxSize = 512;

    private static readonly string[] Palette =
    [
        "#2563EB", "#DC2626", "#16A34A", "#CA8A04", "#9333EA", "#DB2777",
        "#0891B2", "#65A30D", "#EA580C", "#4F46E5", "#0D9488", "#E11D48",
    ];

    /// <summary>h = h × 31 + c over the UTF-16 code units in wrapping 32-bit arithmetic; index = |h| mod 12 in 64 bits.</summary>
    public static int ColourIndex(string displayName)
    {
        var h = 0;
        foreach (var c in displayName) h = unchecked((h * 31) + c);
        return (int)(Math.Abs((long)h) % Palette.Length);
    }

    /// <summary>"SwiftEagle_7432" → "SE": the capitals that start the adjective and the noun.</summary>
    public static string Initials(string displayName) =>
        new(displayName.Where(char.IsAsciiLetterUpper).Take(2).ToArray());

    public static string Svg(string displayName, int size)
    {
        string N(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
        return $"""
            <svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}">
            <rect width="{size}" height="{size}" rx="{N(size / 8.0)}" fill="{Palette[ColourIndex(displayName)]}"/>
            <text x="50%" y="50%" dominant-baseline="central" text-anchor="middle" fill="#FFFFFF" font-family="sans-serif" font-size="{N(size * 0.4)}">{Initials(displayName)}</text>
            </svg>
            """;
    }
}
