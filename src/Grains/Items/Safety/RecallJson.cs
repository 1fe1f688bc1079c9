using System.Text.Json;

namespace NeXChange.Items.Safety;

/// <summary>
/// Reads the recall API's answer. The expected body loosely follows the public CPSC recalls REST API
/// (<c>format=json</c>): a JSON array with one object per recall, e.g.
/// <code>[{"RecallID": 9876, "RecallNumber": "24123", "Title": "...", "Products": [{"Name": "...", "Model": "..."}]}]</code>
/// Only the id is read: <c>RecallID</c> (number or string), else <c>RecallNumber</c>; property names match in any
/// case and every other field is ignored. An empty array means no recall. Anything else (not an array, an element
/// that is not an object or has no id) is malformed: such an answer cannot be trusted to say "clear", so it throws
/// and the API step counts as failed.
/// </summary>
public static class RecallJson
{
    public static IReadOnlyList<RecallMatch> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Array)
            throw new FormatException($"Recall API answered a JSON {document.RootElement.ValueKind}, not an array.");
        var ids = new List<string>();
        foreach (var recall in document.RootElement.EnumerateArray())
        {
            if (recall.ValueKind != JsonValueKind.Object)
                throw new FormatException($"Recall API answered an array element that is a JSON {recall.ValueKind}, not an object.");
            var id = Id(recall, "RecallID") ?? Id(recall, "RecallNumber")
                ?? throw new FormatException("Recall API answered a recall without RecallID or RecallNumber.");
            if (!ids.Contains(id)) ids.Add(id);
        }
        return ids.ConvertAll(id => new RecallMatch(id));
    }

    private static string? Id(JsonElement recall, string name)
    {
        foreach (var property in recall.EnumerateObject())
        {
            if (!string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase)) continue;
            var text = property.Value.ValueKind switch
            {
                JsonValueKind.Number => property.Value.GetRawText(),
                JsonValueKind.String => property.Value.GetString()?.Trim(),
                _ => null,
            };
            return string.IsNullOrEmpty(text) ? null : text;
        }
        return null;
    }
}
