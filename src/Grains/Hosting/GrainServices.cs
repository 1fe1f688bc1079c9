using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NeXChange.Audit;
using NeXChange.Conversion;
using NeXChange.Credits;
using NeXChange.Feedback;
using NeXChange.Images;
using NeXChange.Items;
using NeXChange.Maintenance;
using NeXChange.Notifications;
using NeXChange.Privacy;
using NeXChange.Privacy.Export;
using NeXChange.Storage;
using NeXChange.Search;
using NeXChange.Trading;
using NeXChange.Users;
using Npgsql;
using StackExchange.Redis;

namespace NeXChange.Hosting;

/// <summary>The adapters the grains need, registered the same way by the silo host and by the grain tests.</summary>
public static class GrainServices
{
    public static IServiceCollection AddNeXChangeGrainServices(this IServiceCollection services, IConfiguration configuration)
    {
        var postgres = configuration.Require("ConnectionStrings:Postgres");
        var redis = configuration.Require("ConnectionStrings:Redis");

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => PostgresDataSources.Create(postgres));
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(redis));
        services.AddSingleton<AuditLog>();
        services.AddSingleton<AuditLogReader>();
        services.AddCredits(configuration);
        services.AddUsers(configuration);
        services.AddItems(configuration);
        services.AddPhotos(configuration);
        services.AddSearch(configuration);
        services.AddTrading(configuration);
        services.AddMaintenance();
        services.AddNotifications();
        services.AddFeedback();
        services.AddPrivacy();
        services.AddDataExport();
        services.AddConversion(configuration);
        return services;
    }
}
