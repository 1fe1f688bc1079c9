using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NeXChange.Hosting;
using NeXChange.Trading.SafeZones;

namespace NeXChange.Trading;

public static class TradingModule
{
    public const string DevEndpointsSetting = "Dev:Endpoints";

    public static IServiceCollection AddTrading(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<TradeStore>();
        services.AddSingleton<DisputeStore>();
        services.AddSingleton<TradeNotices>();
        services.AddSafeZones();
        if (configuration.GetValue<bool>(DevEndpointsSetting))
        {
            // The dev clock replaces the domain clock only: Orleans, sessions and the ledger's day keep real time.
            services.AddSingleton(_ => new DevClock(TimeProvider.System));
            services.AddKeyedSingleton<TimeProvider>(Clocks.Domain, (sp, _) => sp.GetRequiredService<DevClock>());
        }
        return services;
    }
}
