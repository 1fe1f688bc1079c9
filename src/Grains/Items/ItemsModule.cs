using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NeXChange.Items.Categories;
using NeXChange.Items.Safety;

namespace NeXChange.Items;

public static class ItemsModule
{
    public static IServiceCollection AddItems(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<CategoryStore>();
        services.AddSingleton<ItemStore>();
        services.AddSingleton<ItemViews>();
        services.AddSingleton<SearchProjectionRebuild>();
        services.AddSafetyCheck(configuration);
        return services;
    }
}
