using NeXChange.Silo.Commands;
using NeXChange.Silo.Hosting;
using NeXChange.TestSupport;

namespace NeXChange.Grains.Tests.Operations;

/// <summary>The operator command line: help, usage errors and exit codes (README, Operations).</summary>
public class CommandLineTests(OperationsDatabase db) : IClassFixture<OperationsDatabase>
{
    public static TheoryData<string> Commands() => [.. OperatorCommands.All.Select(c => c.Name)];

    /// <summary>
    /// Runs a command line whose host cannot be built: help and usage errors must be answered before any host (and
    /// so any store or setting) is needed, and must run nothing.
    /// </summary>
    private static async Task<(int Code, string Output, string Error)> RunWithoutHostAsync(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var cli = new OperatorCli(() => throw new InvalidOperationException("no host may be built"),
            new CommandConsole(output, error, () => throw new InvalidOperationException("no password may be read")));
        return (await cli.RunAsync(args), output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData]
    [InlineData("help")]
    [InlineData("--help")]
    [InlineData("-h")]
    public async Task help_lists_every_command_and_the_exit_codes_with_exit_0(params string[] args)
    {
        var (code, output, error) = await RunWithoutHostAsync(args);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("", error);
        Assert.StartsWith("Usage: NeXChange.Silo <command> [options]", output, StringComparison.Ordinal);
        foreach (var command in OperatorCommands.All) Assert.Contains($"\n  {command.Name} ", output, StringComparison.Ordinal);
        Assert.Contains("Exit codes: 0 done; 1 the command ran and found a problem", output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task each_command_prints_its_usage_for_help_with_exit_0_and_runs_nothing(string name)
    {
        foreach (var args in new[] { new[] { name, "--help" }, [name, "-h"], ["help", name] })
        {
            var (code, output, error) = await RunWithoutHostAsync(args);

            Assert.Equal(ExitCodes.Ok, code);
            Assert.Equal("", error);
            Assert.StartsWith($"Usage: NeXChange.Silo {name}", output, StringComparison.Ordinal);
            Assert.Contains("-h, --help", output, StringComparison.Ordinal);
            Assert.Contains("Exit codes:", output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("reconcil")]
    [InlineData("--verbose")]
    [InlineData("help", "reconcil")]
    public async Task an_unknown_command_exits_2_with_the_list_of_commands_on_stderr(params string[] args)
    {
        var (code, output, error) = await RunWithoutHostAsync(args);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", output);
        Assert.Contains("unknown command", error, StringComparison.Ordinal);
        Assert.Contains("Usage: NeXChange.Silo <command> [options]", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("error: reconcile: unknown option '--bogus'", "reconcile", "--bogus")]
    [InlineData("error: migrate: unknown option '--force'", "migrate", "--force")]
    [InlineData("error: seed-safe-zones: unknown option '--count'", "seed-safe-zones", "--count=3")]
    [InlineData("error: rebuild-projections: unexpected argument 'all'", "rebuild-projections", "all")]
    [InlineData("error: create-admin: option '--email' needs a value: --email <address>", "create-admin", "--email")]
    [InlineData("error: create-admin: option '--email' needs a value: --email <address>", "create-admin", "--email", "--role")]
    [InlineData("error: create-admin: option '--email' given twice", "create-admin", "--email", "a@example.test", "--email=b@example.test")]
    [InlineData("error: create-admin: unknown option '--role'", "create-admin", "--email", "a@example.test", "--role", "admin")]
    public async Task an_unknown_option_or_a_missing_value_exits_2_with_the_commands_usage_and_runs_nothing(string message, params string[] args)
    {
        var (code, output, error) = await RunWithoutHostAsync(args);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", output);
        Assert.StartsWith(message + Environment.NewLine, error, StringComparison.Ordinal);
        Assert.Contains($"Usage: NeXChange.Silo {args[0]}", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_silo_executable_exits_with_the_usage_code_and_the_help_code()
    {
        var unknown = await db.RunSiloAsync("", "reconcile", "--bogus");
        var help = await db.RunSiloAsync("", "reconcile", "--help");

        Assert.Equal((ExitCodes.Usage, ""), (unknown.ExitCode, unknown.Output));
        Assert.Contains("unknown option '--bogus'", unknown.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Ok, help.ExitCode);
        Assert.StartsWith("Usage: NeXChange.Silo reconcile", help.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_database_that_cannot_be_reached_exits_3_with_one_line_on_stderr()
    {
        // Port 1 (tcpmux) has no listener on loopback: the connection is refused at once.
        var unreachable = $"Host=127.0.0.1;Port=1;Username=nobody;Password={TestPasswords.New()};Database=none;Timeout=5";

        var (code, output, error) = await db.RunCliAsync(["reconcile"], overrides: new Dictionary<string, string?> { ["ConnectionStrings:Postgres"] = unreachable });

        Assert.Equal(ExitCodes.CouldNotRun, code);
        Assert.Equal("", output);
        Assert.StartsWith("error: reconcile could not run: ", error, StringComparison.Ordinal);
        Assert.Single(error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task a_missing_setting_exits_3_and_names_it()
    {
        var (code, _, error) = await db.RunCliAsync(["migrate"]);

        Assert.Equal(ExitCodes.CouldNotRun, code);
        Assert.Contains("error: migrate could not run: Missing required setting 'ConnectionStrings:PostgresOwner'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task migrate_on_a_current_database_applies_nothing_and_reports_the_schema_version_and_the_grants()
    {
        var (code, output, error) = await db.RunCliAsync(["migrate"],
            overrides: new Dictionary<string, string?> { ["ConnectionStrings:PostgresOwner"] = TestEnvironment.Owner(db.Postgres) });

        Assert.True(code == ExitCodes.Ok, error);
        var runtimeRole = new Npgsql.NpgsqlConnectionStringBuilder(db.Postgres).Username;
        Assert.StartsWith($"schema at version {Migrator.LatestVersion} (0 applied now); runtime role {runtimeRole} granted;", output, StringComparison.Ordinal);
    }
}
