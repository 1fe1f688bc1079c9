using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NeXChange.Deploy.Tests;

/// <summary>
/// deploy/compose.yaml with the values Docker Compose would give it: deploy/.env as deploy/compose-secrets.sh writes it
/// (run in a folder of its own, so the checkout gets no secrets), plus the settings the README asks the operator for.
/// </summary>
public sealed partial class ComposeFile
{
    public static readonly ComposeFile Instance = new();

    /// <summary>What README tells the operator to add to deploy/.env beside the generated secrets.</summary>
    public static readonly IReadOnlyDictionary<string, string> OperatorSettings = new Dictionary<string, string>
    {
        ["NEXCHANGE_PRICE_FEED_URL"] = "https://prices.example.org/btc",
    };

    public static string FilePath => Repo.PathOf("deploy/compose.yaml");

    public JsonObject Document { get; } = YamlJson.Load(FilePath);

    /// <summary>The generated deploy/.env, its path and its lines as written.</summary>
    public GeneratedEnvFile Secrets { get; } = GeneratedEnvFile.Generate();

    public JsonObject Services => Document["services"]!.AsObject();

    public JsonObject Service(string name) => Services[name]?.AsObject() ?? throw new InvalidOperationException($"compose.yaml has no service '{name}'.");

    /// <summary>The names of the services built from deploy/Dockerfile (the silo, the API, the migrate job).</summary>
    public IEnumerable<string> AppServices =>
        Services.Where(s => s.Value!["build"]?["dockerfile"]?.GetValue<string>() == "deploy/Dockerfile").Select(s => s.Key);

    /// <summary>A service's environment after interpolation, as its container gets it.</summary>
    public Dictionary<string, string> Environment(string service) =>
        (Service(service)["environment"]?.AsObject() ?? []).ToDictionary(e => e.Key, e => Interpolate(Scalar(e.Value)));

    /// <summary>Compose's interpolation: <c>${NAME}</c>, <c>${NAME:-default}</c>, <c>${NAME:?error}</c> and <c>$$</c>.</summary>
    public string Interpolate(string text) => Variable().Replace(text, m =>
    {
        if (m.Value == "$$") return "$";
        var name = m.Groups["name"].Value;
        var value = Secrets.Values.GetValueOrDefault(name) ?? OperatorSettings.GetValueOrDefault(name);
        return m.Groups["op"].Value switch
        {
            ":?" when string.IsNullOrEmpty(value) => throw new InvalidOperationException($"compose.yaml requires {name}: {m.Groups["arg"].Value}"),
            ":-" when string.IsNullOrEmpty(value) => m.Groups["arg"].Value,
            _ => value ?? "",
        };
    });

    /// <summary>The variables compose.yaml refuses to run without (<c>${NAME:?…}</c>).</summary>
    public IReadOnlySet<string> RequiredVariables() =>
        Variable().Matches(File.ReadAllText(FilePath)).Where(m => m.Groups["op"].Value == ":?").Select(m => m.Groups["name"].Value).ToHashSet();

    public static string Scalar(JsonNode? node) => node switch
    {
        null => "",
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        _ => node.ToJsonString(),
    };

    [GeneratedRegex(@"\$\$|\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:\?|:-)(?<arg>[^}]*))?\}")]
    private static partial Regex Variable();
}

/// <summary>deploy/compose-secrets.sh run twice in a scratch copy of deploy/ (removed afterwards): the .env it leaves.</summary>
public sealed record GeneratedEnvFile(UnixFileMode Mode, IReadOnlyDictionary<string, string> Values, IReadOnlyDictionary<string, string> FirstRun)
{
    public static GeneratedEnvFile Generate()
    {
        var folder = Directory.CreateTempSubdirectory("nexchange-compose-").FullName;
        try
        {
            var script = Path.Combine(folder, "compose-secrets.sh");
            File.Copy(Repo.PathOf("deploy/compose-secrets.sh"), script);
            var path = Path.Combine(folder, ".env");
            Run(script);
            var first = Read(path);
            Run(script);
            return new GeneratedEnvFile(File.GetUnixFileMode(path), Read(path), first);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Dictionary<string, string> Read(string path) =>
        File.ReadAllLines(path).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);

    private static void Run(string script)
    {
        using var process = Process.Start(new ProcessStartInfo("bash", [script]) { RedirectStandardError = true })!;
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"compose-secrets.sh failed ({process.ExitCode}): {errors}");
    }
}
