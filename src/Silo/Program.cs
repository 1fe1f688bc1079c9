using NeXChange.Silo.Hosting;

// `NeXChange.Silo migrate` applies the migrations and exits; without a command the silo runs.
var command = args.FirstOrDefault(a => !a.StartsWith('-'));
var rest = args.Where(a => a != command).ToArray();
switch (command)
{
    case null:
        await SiloHost.Build(rest).RunAsync();
        return 0;
    case "migrate":
        using (var host = SiloHost.CreateBuilder(rest).Build())
        {
            await host.Services.GetRequiredService<Migrator>().MigrateAsync();
        }
        return 0;
    default:
        await Console.Error.WriteLineAsync($"Unknown command '{command}'. Commands: migrate.");
        return 2;
}
