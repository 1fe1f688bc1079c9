using NeXChange.Silo.Commands;
using NeXChange.Silo.Hosting;

// Without a command the silo runs. The operator commands (SPEC.md 1.2) run against the database and exit; none of
// them joins the cluster.
var command = args.FirstOrDefault(a => !a.StartsWith('-'));
var rest = args.Where(a => a != command).ToArray();
if (command is null)
{
    await SiloHost.Build(rest).RunAsync();
    return 0;
}

using var host = CommandHost.Build(rest);
var services = host.Services;
try
{
    switch (command)
    {
        case "migrate":
            await services.GetRequiredService<Migrator>().MigrateAsync(MigrationTarget.From(services.GetRequiredService<IConfiguration>()));
            return 0;
        case "create-admin":
            return await services.GetRequiredService<CreateAdminCommand>().RunAsync(rest, PasswordPrompt.Read, Console.Out, Console.Error);
        case "reconcile":
            return await services.GetRequiredService<ReconcileCommand>().RunAsync(Console.Out);
        case "rebuild-projections":
            return await services.GetRequiredService<RebuildProjectionsCommand>().RunAsync(Console.Out);
        case "seed-safe-zones":
            return await services.GetRequiredService<SeedSafeZonesCommand>().RunAsync(Console.Out);
        default:
            await Console.Error.WriteLineAsync($"Unknown command '{command}'. Commands: migrate, create-admin, reconcile, rebuild-projections, seed-safe-zones.");
            return 2;
    }
}
catch (Exception e)
{
    // A store that is down or a missing setting: one line for the operator, the details in the log.
    services.GetRequiredService<ILogger<Program>>().LogError(e, "Command {Command} failed", command);
    await Console.Error.WriteLineAsync($"error: {command} failed: {e.Message}");
    return 1;
}
