using NeXChange.Hosting;
using NeXChange.Silo.Hosting;

// `NeXChange.Silo migrate` applies the migrations and exits; without a command the silo runs.
var command = args.FirstOrDefault(a => !a.StartsWith('-'));
var builder = Host.CreateApplicationBuilder(args.Where(a => a != command).ToArray());
builder.Configuration.AddEnvironmentVariables("NEXCHANGE__");
builder.Services.AddNeXChangeGrainServices(builder.Configuration);
builder.Services.AddSingleton<Migrator>();

switch (command)
{
    case null:
        builder.Services.AddHostedService<MigrateOnStart>();
        builder.UseOrleans(silo => silo.UseNeXChangeSilo(builder.Configuration));
        await builder.Build().RunAsync();
        return 0;
    case "migrate":
        using (var host = builder.Build())
        {
            await host.Services.GetRequiredService<Migrator>().MigrateAsync();
        }
        return 0;
    default:
        await Console.Error.WriteLineAsync($"Unknown command '{command}'. Commands: migrate.");
        return 2;
}
