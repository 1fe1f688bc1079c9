using NeXChange.Conversion;
using NeXChange.Hosting;
using NeXChange.Maintenance;
using Npgsql;

namespace NeXChange.Silo.Hosting;

/// <summary>Composes the silo process; Program and the API tests build it the same way.</summary>
public static class SiloHost
{
    public static HostApplicationBuilder CreateBuilder(string[] args, Action<HostApplicationBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Configuration.AddEnvironmentVariables("NEXCHANGE__");
        configure?.Invoke(builder);
        builder.Configuration.DevEndpoints(builder.Environment.EnvironmentName);
        builder.Services.AddNeXChangeGrainServices(builder.Configuration);
        builder.Services.AddNeXChangeTelemetry(builder.Configuration, "nexchange-silo");
        // Only the migrate command resolves it: the owner connection is given to that command alone.
        builder.Services.AddSingleton(services => new Migrator(
            NpgsqlDataSource.Create(builder.Configuration.Require("ConnectionStrings:PostgresOwner")),
            services.GetRequiredService<ILogger<Migrator>>()));
        return builder;
    }

    /// <summary>A silo that checks the schema (see <see cref="SchemaCheck"/>), then joins the cluster.</summary>
    public static IHost Build(string[] args, Action<HostApplicationBuilder>? configure = null)
    {
        var builder = CreateBuilder(args, configure);
        builder.Services.AddHostedService<SchemaCheck>();
        builder.UseOrleans(silo => silo
            .UseNeXChangeSilo(builder.Configuration)
            .AddStartupTask((services, _) => services.GetRequiredService<IGrainFactory>().GetGrain<IMaintenanceGrain>(0).EnsureScheduled())
            // The price sampler runs from the start, so the breaker has 5 minutes of samples before anyone asks for a quote.
            .AddStartupTask((services, _) => services.GetRequiredService<IGrainFactory>().GetGrain<IPriceMonitorGrain>(0).EnsureSampling()));
        return builder.Build();
    }
}
