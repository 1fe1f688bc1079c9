using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace NeXChange.Api.Tests.Contract;

/// <summary>
/// The API's own OpenAPI document as a checker of answers: the operation is found by path template and method,
/// the answer's status must be documented for it, and a JSON body must satisfy the schema documented for that
/// status and media type. Schemas are JSON Schema 2020-12 (OpenAPI 3.1); component references are resolved by
/// carrying the components along as <c>$defs</c>.
/// </summary>
public sealed class OpenApiContract
{
    public const string DocumentPath = "/openapi/v1.json";
    private const string ProblemSchema = "ProblemDetails";
    private static readonly ConcurrentDictionary<Uri, Lazy<Task<OpenApiContract>>> Loaded = new();

    private readonly JsonElement paths;
    private readonly string definitions;
    private readonly (Regex Pattern, string Template)[] templates;
    private readonly ConcurrentDictionary<string, JsonSchema> schemas = new();

    public OpenApiContract(string document)
    {
        var root = JsonDocument.Parse(document.Replace("\"#/components/schemas/", "\"#/$defs/", StringComparison.Ordinal)).RootElement;
        paths = root.GetProperty("paths");
        definitions = root.GetProperty("components").GetProperty("schemas").GetRawText();
        // Literal segments win over parameters: /items/mine before /items/{id}.
        templates = paths.EnumerateObject()
            .Select(p => p.Name)
            .OrderBy(t => t.Count(c => c == '{'))
            .Select(t => (new Regex("^" + Regex.Replace(Regex.Escape(t), @"\\\{[^}]+}", "[^/]+") + "$"), t))
            .ToArray();
    }

    /// <summary>The document of the API at <paramref name="baseAddress"/>, fetched once.</summary>
    public static Task<OpenApiContract> For(Uri baseAddress) =>
        Loaded.GetOrAdd(baseAddress, address => new Lazy<Task<OpenApiContract>>(async () =>
        {
            using var client = new HttpClient { BaseAddress = address };
            return new OpenApiContract(await client.GetStringAsync(DocumentPath));
        })).Value;

    public static bool IsJson(string? mediaType) =>
        mediaType is not null && (mediaType == "application/json" || mediaType.EndsWith("+json", StringComparison.Ordinal));

    /// <summary>How the answer departs from the document; empty when it does not.</summary>
    public IReadOnlyList<string> Check(string method, string path, int status, string? mediaType, string? body)
    {
        // Health, media, the document itself and the dashboard are outside the API the document describes.
        if (!path.StartsWith("/api/", StringComparison.Ordinal)) return [];
        var template = templates.FirstOrDefault(t => t.Pattern.IsMatch(path) && paths.GetProperty(t.Template).TryGetProperty(method.ToLowerInvariant(), out _)).Template;
        if (template is null) return UnknownRoute($"{method} {path} {status} (no documented operation)", status, mediaType, body);
        var operation = paths.GetProperty(template).GetProperty(method.ToLowerInvariant());

        var where = $"{method} {template} {status}";
        if (!operation.GetProperty("responses").TryGetProperty(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response))
            return [$"{where}: the status is not documented for the operation."];
        if (body is null || !IsJson(mediaType)) return [];
        if (!response.TryGetProperty("content", out var content) || !content.TryGetProperty(mediaType!, out var media)
            || !media.TryGetProperty("schema", out var schema))
            return [$"{where}: the document gives no {mediaType} body for this status."];
        return Validate(where, $"{method} {template} {status} {mediaType}", schema.GetRawText(), body);
    }

    // An unknown route (or a known path with another method) answers the documented problem body with 404.
    private List<string> UnknownRoute(string where, int status, string? mediaType, string? body) =>
        status != 404 || body is null || mediaType != "application/problem+json"
            ? [$"{where}: a route the document does not know must answer 404 with a problem body."]
            : Validate(where, ProblemSchema, $$$"""{"$ref":"#/$defs/{{{ProblemSchema}}}"}""", body);

    private List<string> Validate(string where, string key, string schemaJson, string body)
    {
        var schema = schemas.GetOrAdd(key, _ =>
        {
            var node = JsonNode.Parse(schemaJson)!.AsObject();
            node["$defs"] = JsonNode.Parse(definitions);
            return JsonSchema.FromText(node.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() },
                new Uri($"https://contract.nexchange.test/{Guid.NewGuid():N}"));
        });
        using var instance = JsonDocument.Parse(body);
        var result = schema.Evaluate(instance.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid) return [];
        return (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{where}: at '{d.InstanceLocation}' ({d.EvaluationPath}): {e.Value}"))
            .DefaultIfEmpty($"{where}: the body does not match the documented schema.")
            .ToList();
    }
}
