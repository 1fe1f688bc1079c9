using Microsoft.Extensions.DependencyInjection;

namespace NeXChange.Maintenance;

public static class MaintenanceModule
{
    public static IServiceCollection AddMaintenance(this IServiceCollection services) => services
        .AddSingleton<BlobReferences>()
        .AddSingleton<DueRows>()
        .AddSingleton<ItemPhotoRetention>()
        .AddSingleton<TradeRetention>()
        .AddSingleton<AuditRetention>()
        .AddSingleton<QuoteRetention>();
}
