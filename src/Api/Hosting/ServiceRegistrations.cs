using NeXChange.Api.Idempotency;

namespace NeXChange.Api.Hosting;

public static class ServiceRegistrations
{
    public static IServiceCollection AddNeXChangeIdempotency(this IServiceCollection services) =>
        services.AddSingleton<IdempotencyStore>();
}
