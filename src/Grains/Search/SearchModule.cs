using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NeXChange.Hosting;
using Npgsql;

namespace NeXChange.Search;

public static class SearchModule
{
    /// <summary>
    /// Search reads time (ranking age, the weights cache, the log) through this keyed clock. It resolves to the default
    /// clock (Orleans' catch-all keyed registration) unless a test installs a fake one, which then moves only search.
    /// </summary>
    public const string ClockKey = "NeXChange.Search";

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
