using System.Text.Json;

namespace NeXChange.Api.Tests.Privacy;

/// <summary>
/// Finds other users' tier-3 values in an answer. The rules are chosen so that values many tests share do not match
/// unrelated data, while a real leak still does:
/// <list type="bullet">
/// <item>emails, full names and phone numbers (distinctive, see <see cref="TestUsers"/>) are found inside any string:
/// a JSON string value, a header value or a whole text body such as an SVG, case-insensitively, as a whole word: not
/// next to a letter, digit or address character, so that "a@b.org" is not found in "second-a@b.org";</item>
/// <item>dates of birth, ZIPs and names shorter than six letters only as a whole string: "10001" or "1990-04-12"
/// also occur inside ids, amounts and timestamps, and JSON numbers are never compared with them;</item>
/// <item>coordinates as a pair: an object whose numeric <c>lat</c> and <c>lng</c> equal another user's area point (the
/// ZIP centroid). Safe zones (objects with a <c>tier</c>) are public places, and a trade's <c>custom</c> meeting
/// point is the pair's chosen place, shown to the counterparty by design (SPEC.md 6.4): neither is a user's point.</item>
/// </list>
/// </summary>
public static class PersonalDataScan
{
    public static List<string> InJson(JsonElement root, IReadOnlyList<(Guid Owner, Secret Secret)> secrets, IReadOnlySet<string> allowedMembers)
    {
        var findings = new List<string>();
        Walk(root, "$", null);
        return findings;

        void Walk(JsonElement element, string path, string? member)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    if (member != "custom" && !element.TryGetProperty("tier", out _) && Point(element) is { } point)
                        findings.AddRange(InString(path, point, secrets));
                    foreach (var property in element.EnumerateObject().Where(p => !allowedMembers.Contains(p.Name)))
                        Walk(property.Value, $"{path}.{property.Name}", property.Name);
                    break;
                case JsonValueKind.Array:
                    var index = 0;
                    foreach (var item in element.EnumerateArray()) Walk(item, $"{path}[{index++}]", member);
                    break;
                case JsonValueKind.String:
                    findings.AddRange(InString(path, element.GetString()!, secrets));
                    break;
            }
        }
    }

    /// <summary>The findings in one string: a header value, a text body, or a JSON string value at <paramref name="where"/>.</summary>
    public static IEnumerable<string> InString(string where, string text, IReadOnlyList<(Guid Owner, Secret Secret)> secrets) =>
        secrets.Where(s => s.Secret.Exact
                ? string.Equals(text, s.Secret.Value, StringComparison.Ordinal)
                : ContainsWord(text, s.Secret.Value))
            .Select(s => $"{where} holds the {s.Secret.Kind} of user {s.Owner}");

    private static bool ContainsWord(string text, string word)
    {
        for (var at = text.IndexOf(word, StringComparison.OrdinalIgnoreCase); at >= 0;
             at = text.IndexOf(word, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            var end = at + word.Length;
            // A dot may end a sentence after the word, but not continue an address ("a@b.org.evil").
            var joinedAfter = end < text.Length && (InWord(text[end]) || text[end] == '.' && end + 1 < text.Length && char.IsLetterOrDigit(text[end + 1]));
            if ((at == 0 || !InWord(text[at - 1]) && text[at - 1] != '.') && !joinedAfter) return true;
        }
        return false;
    }

    private static bool InWord(char c) => char.IsLetterOrDigit(c) || c is '_' or '%' or '+' or '-' or '@';

    private static string? Point(JsonElement element) =>
        element.TryGetProperty("lat", out var lat) && lat.ValueKind == JsonValueKind.Number
        && element.TryGetProperty("lng", out var lng) && lng.ValueKind == JsonValueKind.Number
        && lat.TryGetDecimal(out var latitude) && lng.TryGetDecimal(out var longitude)
            ? PersonalDataRegistry.Coordinates(latitude, longitude)
            : null;
}
