using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NeXChange.Hosting;
using Npgsql;

namespace NeXChange.Search;

public static class SearchModule
{
    public static IServiceCollection AddSearch(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ => SearchOptions.FromConfiguration(configuration));
        // Avatar URLs of sellers are built like the users module builds them (App:PublicBaseUrl).
        services.AddSingleton<ISearchIndex>(sp => new PostgresSearchIndex(
            sp.GetRequiredService<NpgsqlDataSource>(), configuration.Require("App:PublicBaseUrl").TrimEnd('/')));
        services.AddSingleton<SearchSettingsStore>();
        services.AddSingleton<SearchWeightsCache>();
        services.AddSingleton<CallerAreas>();
        services.AddSingleton<SearchLog>();
        return services;
    }
}
