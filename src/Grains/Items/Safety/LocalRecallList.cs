using System.Text;
using Microsoft.Extensions.Logging;

namespace NeXChange.Items.Safety;

/// <summary>
/// The recall list file the operator replaces (SPEC.md 1.2, 4.4). At most once per check interval the file's
/// timestamp and length are looked at, and it is read again only when they changed, so a check costs no disk
/// access in between. Missing or unreadable → no list, and the safety check answers <c>unavailable</c>.
/// </summary>
public sealed class LocalRecallList(SafetySettings settings, TimeProvider time, ILogger<LocalRecallList> logger)
{
    // Strict UTF-8: a file saved as Latin-1 would otherwise load with replacement characters and match nothing.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Lock gate = new();
    private DateTimeOffset? lookedAt;
    private (DateTime WrittenAt, long Length)? loadedVersion;
    private RecallList? list;

    /// <summary>The list as last read, or null when the file is missing or unreadable.</summary>
    public RecallList? Current()
    {
        // The file is small and read at most once per interval, so a plain lock around the synchronous read is cheaper
        // than coordinating concurrent async loads.
        lock (gate)
        {
            var now = time.GetUtcNow();
            if (lookedAt is { } last && now - last < settings.RecallListCheckInterval) return list;
            lookedAt = now;
            Refresh();
            return list;
        }
    }

    private void Refresh()
    {
        var path = settings.RecallListPath;
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            logger.LogWarning("Recall list {Path} does not exist: recall checks that miss the cache and the API are unavailable", path);
            (list, loadedVersion) = (null, null);
            return;
        }
        var version = (file.LastWriteTimeUtc, file.Length);
        if (version == loadedVersion) return;
        try
        {
            using var reader = new StreamReader(path, StrictUtf8, detectEncodingFromByteOrderMarks: true);
            (list, loadedVersion) = (RecallListCsv.Parse(reader), version);
            logger.LogInformation("Recall list {Path} loaded: {Count} rows", path, list.Count);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or DecoderFallbackException)
        {
            // The version is not remembered, so the next look tries again even if only permissions were fixed.
            (list, loadedVersion) = (null, null);
            logger.LogError(e, "Recall list {Path} is unreadable: recall checks that miss the cache and the API are unavailable", path);
        }
    }
}
