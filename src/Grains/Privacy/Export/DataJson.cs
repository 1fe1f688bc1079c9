using System.Text.Json;
using NeXChange.Errors;
using NeXChange.Feedback;
using NeXChange.Users;

namespace NeXChange.Privacy.Export;

/// <summary>
/// Writes data.json (schemaVersion 1, SPEC.md 3.10) section by section from the snapshot: each row is copied into the
/// output as PostgreSQL rendered it and flushed once a buffer's worth is pending, so memory stays flat however many
/// rows a section has.
/// </summary>
internal static class DataJson
{
    public const int SchemaVersion = 1;

    private const int FlushThreshold = 64 * 1024;

    private static readonly string DefaultSettings = JsonSerializer.Serialize(AccountSettings.Default, JsonSerializerOptions.Web);

    /// <summary>The parts of data.json that depend on what the photo pass found.</summary>
    public sealed record PhotoFiles(string? ProfilePhotoPath, string[] MissingItemPhotoPaths);

    /// <summary>Writes the document; returns the row count of each array section.</summary>
    public static async Task<IReadOnlyDictionary<string, int>> WriteAsync(ExportSnapshot snapshot, Stream output, Guid userId,
        PhotoFiles photos, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<string, int>();
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("schemaVersion", SchemaVersion);
        json.WriteString("generatedAt", now);
        json.WriteString("userId", userId);

        var found = false;
        await foreach (var (profile, settings) in snapshot.RowsAsync(ExportQueries.Profile, r => (r.GetString(0), r.GetString(1)),
            [userId, (object?)photos.ProfilePhotoPath ?? DBNull.Value, DefaultSettings], cancellationToken))
        {
            json.WritePropertyName("profile");
            json.WriteRawValue(profile, skipInputValidation: true);
            json.WritePropertyName("settings");
            json.WriteRawValue(settings, skipInputValidation: true);
            found = true;
        }
        if (!found) throw DomainException.NotFound();

        // The queries take the user's id and at most one more parameter (a params object[] would swallow a string[]).
        async Task Section(string name, string sql, object? parameter = null)
        {
            json.WriteStartArray(name);
            var rows = 0;
            await foreach (var row in snapshot.RowsAsync(sql, r => r.GetString(0), parameter is null ? [userId] : [userId, parameter], cancellationToken))
            {
                json.WriteRawValue(row, skipInputValidation: true);
                rows++;
                if (json.BytesPending > FlushThreshold) await json.FlushAsync(cancellationToken);
            }
            json.WriteEndArray();
            counts[name] = rows;
        }

        await Section("displayNames", ExportQueries.DisplayNames);
        await Section("items", ExportQueries.Items, photos.MissingItemPhotoPaths);
        await Section("trades", ExportQueries.Trades);
        await Section("disputes", ExportQueries.Disputes);
        await Section("feedbackGiven", ExportQueries.FeedbackGiven);
        await Section("feedbackReceived", ExportQueries.FeedbackReceived, FeedbackWindow.ClosedForEndsBefore(now));
        await Section("notifications", ExportQueries.Notifications);
        await Section("ledgerEntries", ExportQueries.LedgerEntries);
        await Section("conversions", ExportQueries.Conversions);
        await Section("dataRequests", ExportQueries.DataRequests);
        await Section("photoAccessEvents", ExportQueries.PhotoAccessEvents);
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
        return counts;
    }
}
