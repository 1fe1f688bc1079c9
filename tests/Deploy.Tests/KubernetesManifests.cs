using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NeXChange.Deploy.Tests;

/// <summary>
/// Every object in deploy/k8s, and the environment a container of theirs gets from Kubernetes: its ConfigMaps and
/// Secrets (the template's placeholders filled), the downward API's fields and <c>$(NAME)</c> references expanded.
/// </summary>
public sealed partial class KubernetesManifests
{
    public static readonly KubernetesManifests Instance = new();

    /// <summary>What the downward API would give a pod: its name, namespace and address.</summary>
    public static readonly IReadOnlyDictionary<string, string> PodFields = new Dictionary<string, string>
    {
        ["metadata.name"] = "nexchange-silo-5d8c7b9f4-x2kq7",
        ["metadata.namespace"] = "nexchange",
        ["status.podIP"] = "10.244.1.7",
    };

    public static string Folder => Repo.PathOf("deploy/k8s");

    public static IReadOnlyList<string> Files => [.. Directory.GetFiles(Folder, "*.yaml").Order(StringComparer.Ordinal)];

    public IReadOnlyList<JsonObject> Objects { get; } = [.. Files.SelectMany(YamlJson.LoadAll)];

    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => Text(o["kind"]) == kind);

    public JsonObject Find(string kind, string name) =>
        OfKind(kind).SingleOrDefault(o => Text(o["metadata"]!["name"]) == name) ?? throw new InvalidOperationException($"deploy/k8s has no {kind} '{name}'.");

    /// <summary>The Deployments and Jobs, each with its pod template's spec.</summary>
    public IEnumerable<(string Name, JsonObject Pod)> Workloads =>
        Objects.Where(o => Text(o["kind"]) is "Deployment" or "Job")
            .Select(o => (Text(o["metadata"]!["name"]), o["spec"]!["template"]!["spec"]!.AsObject()));

    public JsonObject Pod(string workload) => Workloads.Single(w => w.Name == workload).Pod;

    public static IEnumerable<JsonObject> Containers(JsonObject pod) => pod["containers"]!.AsArray().Select(c => c!.AsObject());

    public static JsonObject Container(JsonObject pod, string name) => Containers(pod).Single(c => Text(c["name"]) == name);

    /// <summary>A container's environment: envFrom first, then env in order, each <c>$(NAME)</c> expanded from those before.</summary>
    public Dictionary<string, string> Environment(string workload, string container)
    {
        var spec = Container(Pod(workload), container);
        var environment = new Dictionary<string, string>();
        foreach (var source in spec["envFrom"]?.AsArray() ?? [])
        {
            var (kind, reference) = source!["configMapRef"] is { } map ? ("ConfigMap", map) : ("Secret", source["secretRef"]!);
            foreach (var (key, value) in Data(kind, Text(reference["name"]))) environment[key] = value;
        }
        foreach (var variable in spec["env"]?.AsArray() ?? [])
        {
            var value = variable!["value"] is { } literal
                ? Reference().Replace(Text(literal), m => environment.GetValueOrDefault(m.Groups[1].Value, m.Value))
                : ValueFrom(variable["valueFrom"]!);
            environment[Text(variable["name"])] = value;
        }
        return environment;
    }

    private string ValueFrom(JsonNode from) =>
        from["fieldRef"] is { } field ? PodFields[Text(field["fieldPath"])]
        : from["secretKeyRef"] is { } secret ? Data("Secret", Text(secret["name"]))[Text(secret["key"])]
        : Data("ConfigMap", Text(from["configMapKeyRef"]!["name"]))[Text(from["configMapKeyRef"]!["key"])];

    /// <summary>A ConfigMap's data or a Secret's stringData, with the template's placeholders filled.</summary>
    public Dictionary<string, string> Data(string kind, string name) =>
        (Find(kind, name)[kind == "Secret" ? "stringData" : "data"]?.AsObject() ?? [])
            .ToDictionary(e => e.Key, e => FillPlaceholders(Text(e.Value)));

    /// <summary><c>&lt;name&gt;</c> becomes a 48-character stand-in, as long as the generated secrets.</summary>
    public static string FillPlaceholders(string text) => Placeholder().Replace(text, m => (m.Groups[1].Value + "-").PadRight(48, 'x'));

    public static string Text(JsonNode? node) => ComposeFile.Scalar(node);

    [GeneratedRegex(@"<([a-z0-9-]+)>")]
    public static partial Regex Placeholder();

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex Reference();
}
