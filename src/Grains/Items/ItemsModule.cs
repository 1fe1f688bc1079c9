using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NeXChange.Items.Categories;

namespace NeXChange.Items;

public static class ItemsModule
{
    public static IServiceCollection AddItems(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<CategoryStore>();
        return services;
    }
}
