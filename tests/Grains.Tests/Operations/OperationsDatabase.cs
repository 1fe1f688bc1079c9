using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NeXChange.Silo.Commands;
using NeXChange.TestSupport;
using Npgsql;

namespace NeXChange.Grains.Tests.Operations;

/// <summary>
/// A migrated database of its own and the operator commands' host over it, built the way the silo executable builds
/// it for a command (no cluster). <see cref="RunSiloAsync"/> runs the real executable against the same database.
/// </summary>
public sealed class OperationsDatabase : IAsyncLifetime
{
    public const string PublicBaseUrl = "https://nexchange.test";

    private IHost? host;

    public string Postgres { get; private set; } = "";
    public string DataDir { get; } = TestEnvironment.DataDir("ops");

    public IServiceProvider Services => host!.Services;

    private Dictionary<string, string?> Settings => new()
    {
        ["ConnectionStrings:Postgres"] = Postgres,
        ["ConnectionStrings:Redis"] = TestEnvironment.Redis,
        ["App:PublicBaseUrl"] = PublicBaseUrl,
        ["Data:Dir"] = DataDir,
        ["Storage:SigningKey"] = TestSecrets.New(),
    };

    public async Task InitializeAsync()
    {
        Postgres = await TestEnvironment.CreateDatabaseAsync("ops");
        host = CommandHost.Build([], b => b.Configuration.AddInMemoryCollection(Settings));
    }

    public async Task DisposeAsync()
    {
        host?.Dispose();
        if (Postgres.Length > 0) await TestEnvironment.DropDatabaseAsync(Postgres);
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>
    /// Runs a command line in this process as the silo executable does (<see cref="OperatorCli"/> over a host of its
    /// own), with <paramref name="password"/> as what the password prompt reads and <paramref name="overrides"/> on
    /// top of the fixture's settings.
    /// </summary>
    public async Task<(int ExitCode, string Output, string Error)> RunCliAsync(
        string[] args, string? password = null, IDictionary<string, string?>? overrides = null)
    {
        var settings = Settings;
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>()) settings[key] = value;
        var (output, error) = (new StringWriter(), new StringWriter());
        var cli = new OperatorCli(() => CommandHost.Build([], b => b.Configuration.AddInMemoryCollection(settings)),
            new CommandConsole(output, error, () => password));
        var code = await cli.RunAsync(args);
        return (code, output.ToString(), error.ToString());
    }

    public Task<T?> ScalarAsync<T>(string sql, params object[] parameters) => Sql.ScalarAsync<T>(Postgres, sql, parameters);

    /// <summary>
    /// Runs <c>dotnet src/Silo/bin/{configuration}/net10.0/NeXChange.Silo.dll {args}</c> (built with the tests, which
    /// reference it) with the settings in its environment, as the deploy scripts pass them, and <paramref name="stdin"/>
    /// as its input. Not the copy beside the tests: that folder lacks the silo's framework-provided assemblies.
    /// </summary>
    public async Task<(int ExitCode, string Output, string Error)> RunSiloAsync(string stdin, params string[] args)
    {
        var siloDir = SiloOutputDirectory();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = siloDir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(siloDir, "NeXChange.Silo.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (key, value) in Settings) start.Environment["NEXCHANGE__" + key.Replace(":", "__", StringComparison.Ordinal)] = value;

        using var process = Process.Start(start)!;
        await process.StandardInput.WriteLineAsync(stdin);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private static string SiloOutputDirectory()
    {
        // AppContext.BaseDirectory is <root>/tests/Grains.Tests/bin/<configuration>/net10.0/.
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = testOutput.Parent!.Name;
        var root = testOutput.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(root, "src", "Silo", "bin", configuration, testOutput.Name);
    }
}
