using Microsoft.Extensions.DependencyInjection;

namespace NeXChange.Trading.SafeZones;

public static class SafeZonesModule
{
    public static IServiceCollection AddSafeZones(this IServiceCollection services)
    {
        services.AddSingleton<SafeZoneStore>();
        services.AddSingleton<SafeZoneDirectory>();
        return services;
    }
}
