using Microsoft.Extensions.DependencyInjection;

namespace NeXChange.Privacy;

public static class PrivacyModule
{
    public static IServiceCollection AddPrivacy(this IServiceCollection services) => services
        .AddSingleton<DataRequestStore>()
        .AddSingleton<ErasureQueries>()
        .AddSingleton<AccountErasure>()
        .AddSingleton<ArchiveRetention>();
}
