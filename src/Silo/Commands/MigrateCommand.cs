using NeXChange.Silo.Hosting;

namespace NeXChange.Silo.Commands;

/// <summary><c>migrate</c>: runs the <see cref="Migrator"/> with the silo's settings and says what it applied.</summary>
public sealed class MigrateCommand(Migrator migrator, IConfiguration configuration) : IOperatorCommand
{
    public async Task<int> RunAsync(CommandArguments arguments, CommandConsole console)
    {
        var target = MigrationTarget.From(configuration);
        var applied = await migrator.MigrateAsync(target);
        foreach (var name in applied) await console.Output.WriteLineAsync($"applied {name}");
        await console.Output.WriteLineAsync(
            $"schema at version {Migrator.LatestVersion} ({applied.Count} applied now); runtime role {target.RuntimeRole} granted; "
            + $"daily outflow limits {target.DailyOutflowMinor} minor units / {target.DailyOutflowCount} transactions");
        return ExitCodes.Ok;
    }
}
