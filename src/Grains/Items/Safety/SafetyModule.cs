using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace NeXChange.Items.Safety;

public static class SafetyModule
{
    // Brand-wide answers of a big manufacturer can run to megabytes; far beyond that is not a recall list.
    private const long MaxAnswerBytes = 16 * 1024 * 1024;

    /// <summary>
    /// Registers <see cref="ISafetyCheck"/>. Needs an <c>IConnectionMultiplexer</c> in the container. Without
    /// <c>Safety:RecallApi:BaseUrl</c> no <see cref="IRecallApi"/> is registered and checks go from the cache
    /// straight to the local list.
    /// </summary>
    public static IServiceCollection AddSafetyCheck(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = SafetySettings.FromConfiguration(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(settings);
        services.AddSingleton<RecallCache>();
        services.AddSingleton<RecallThrottle>();
        services.AddSingleton<LocalRecallList>();
        if (settings.RecallApiBaseUrl is { } baseUrl)
        {
            services.AddHttpClient(CpscRecallApi.ClientName, client => client.MaxResponseContentBufferSize = MaxAnswerBytes);
            services.AddSingleton<IRecallApi>(sp => new CpscRecallApi(sp.GetRequiredService<IHttpClientFactory>(), baseUrl));
        }
        services.AddSingleton<ISafetyCheck, RecallSafetyCheck>();
        return services;
    }
}
