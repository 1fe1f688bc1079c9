using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace NeXChange.Storage;

public static class BlobStoreServices
{
    /// <summary>
    /// The blob store chosen by <c>Storage:Mode</c> (<c>FileSystem</c>, the default, or <c>S3</c>) and orphan cleanup.
    /// The mode is checked now; the mode's own settings when the store is first used, so a host that never touches
    /// blobs (another module's tests) needs none of them.
    /// </summary>
    public static IServiceCollection AddBlobStore(this IServiceCollection services, IConfiguration configuration)
    {
        var mode = StorageOptions.ModeFrom(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => StorageOptions.FromConfiguration(configuration));
        if (mode == StorageOptions.S3Mode)
            services.AddSingleton<IBlobStore>(sp =>
            {
                var options = sp.GetRequiredService<StorageOptions>();
                return new S3BlobStore(options.S3!, options.PublicBaseUrl, sp.GetRequiredService<TimeProvider>());
            });
        else
            services.AddSingleton<IBlobStore>(sp =>
            {
                var options = sp.GetRequiredService<StorageOptions>();
                var time = sp.GetRequiredService<TimeProvider>();
                return new FileSystemBlobStore(options.FileSystemRoot, options.PublicBaseUrl, new MediaUrlSigner(options.SigningKey!, time));
            });
        services.AddSingleton<BlobJanitor>();
        return services;
    }
}
