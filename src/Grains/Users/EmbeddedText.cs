namespace NeXChange.Users;

/// <summary>Reads the data files this assembly embeds (word lists, common passwords, ZIP centroids).</summary>
internal static class EmbeddedText
{
    /// <summary>Non-empty lines that are not <c>#</c> comments, trimmed.</summary>
    public static IReadOnlyList<string> Lines(string fileName)
    {
        var assembly = typeof(EmbeddedText).Assembly;
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith("." + fileName, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            line = line.Trim();
            if (line.Length > 0 && !line.StartsWith('#')) lines.Add(line);
        }
        return lines;
    }
}
