using Microsoft.Extensions.DependencyInjection;

namespace NeXChange.Notifications;

public static class NotificationsModule
{
    /// <summary>The publisher the grains inject, its table and the producers of the credits and items modules.</summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services)
    {
        services.AddSingleton<NotificationStore>();
        services.AddSingleton<Notifier>();
        services.AddSingleton<CreditNotices>();
        services.AddSingleton<ConversionNotices>();
        services.AddSingleton<ItemNotices>();
        return services;
    }
}
