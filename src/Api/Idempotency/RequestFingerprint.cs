using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NeXChange.Api.Idempotency;

/// <summary>
/// SHA-256 of method + route + path ids + the canonical JSON body (keys sorted, no insignificant whitespace),
/// so that a retry with reordered keys or different spacing is still the same request.
/// </summary>
public static class RequestFingerprint
{
    public static string Compute(string method, string route, IEnumerable<KeyValuePair<string, object?>> routeValues, ReadOnlySpan<byte> body)
    {
        var builder = new StringBuilder();
        builder.Append(method).Append('\n').Append(route).Append('\n');
        foreach (var (key, value) in routeValues.OrderBy(v => v.Key, StringComparer.Ordinal))
            builder.Append(key).Append('=').Append(value).Append('\n');
        builder.Append(Canonical(body));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(builder.ToString())));
    }

    private static string Canonical(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return "";
        try
        {
            // A member given twice is refused like a syntax error (JsonObject would throw on it, a 500).
            var node = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = false });
            return node is null ? "null" : Sort(node).ToJsonString(new JsonSerializerOptions { WriteIndented = false });
        }
        catch (JsonException)
        {
            // Not JSON: the endpoint refuses it anyway; the raw bytes still identify the request.
            return Convert.ToBase64String(body);
        }
    }

    private static JsonNode Sort(JsonNode node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : Sort(p.Value)))),
        JsonArray array => new JsonArray(array.Select(v => v is null ? null : Sort(v)).ToArray()),
        _ => node.DeepClone(),
    };
}
