using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NeXChange.Api.Hosting;
using NeXChange.Conversion;
using NeXChange.Search;
using NeXChange.Silo.Commands;
using NeXChange.Silo.Hosting;
using NeXChange.Storage;
using Orleans.Configuration;

namespace NeXChange.Deploy.Tests;

/// <summary>
/// Builds the real hosts (never starts them: nothing connects) with exactly a manifest's environment and none of the
/// test process's, then resolves what reads its settings only when first used, so that a missing or malformed
/// setting fails here as it would in the container, with the host's message naming it.
/// </summary>
public static class HostBuilds
{
    /// <summary>The API node; answers the paths of the routes it maps.</summary>
    public static async Task<IReadOnlySet<string>> Api(IReadOnlyDictionary<string, string> environment)
    {
        await using var app = ApiHost.Build([], b =>
        {
            b.Environment.EnvironmentName = environment["DOTNET_ENVIRONMENT"];
            Replace(b.Configuration, environment);
        });
        Resolve(app.Services, typeof(IBlobStore));
        return ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.TrimStart('/')).ToHashSet();
    }

    /// <summary>A silo; answers the endpoints it would advertise and listen on.</summary>
    public static EndpointOptions Silo(IReadOnlyDictionary<string, string> environment)
    {
        using var host = SiloHost.Build([], b =>
        {
            b.Environment.EnvironmentName = environment["DOTNET_ENVIRONMENT"];
            Replace(b.Configuration, environment);
        });
        Resolve(host.Services, typeof(IBlobStore), typeof(IPriceFeed), typeof(ICustodyPartner), typeof(ISearchIndex));
        return host.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
    }

    /// <summary>The operator commands' host running `migrate`: the owner's connection and the runtime role to grant.</summary>
    public static void Migrate(IReadOnlyDictionary<string, string> environment)
    {
        using var host = CommandHost.Build([], b =>
        {
            b.Environment.EnvironmentName = environment["DOTNET_ENVIRONMENT"];
            Replace(b.Configuration, environment);
        });
        Resolve(host.Services, typeof(Migrator));
        MigrationTarget.From(host.Services.GetRequiredService<IConfiguration>());
    }

    private static void Resolve(IServiceProvider services, params Type[] types)
    {
        services.GetService<IStartupValidator>()?.Validate();
        foreach (var type in types) services.GetRequiredService(type);
    }

    /// <summary>Only the NEXCHANGE__ variables, read as the hosts read them (AddEnvironmentVariables("NEXCHANGE__")).</summary>
    private static void Replace(ConfigurationManager configuration, IReadOnlyDictionary<string, string> environment)
    {
        configuration.Sources.Clear();
        configuration.AddInMemoryCollection(environment
            .Where(e => e.Key.StartsWith("NEXCHANGE__", StringComparison.Ordinal))
            .Select(e => KeyValuePair.Create(e.Key["NEXCHANGE__".Length..].Replace("__", ":", StringComparison.Ordinal), (string?)e.Value)));
    }
}
