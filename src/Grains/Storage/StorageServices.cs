using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NeXChange.Images;

namespace NeXChange.Storage;

public static class StorageServices
{
    /// <summary>
    /// The blob store chosen by <c>Storage:Mode</c> (<c>FileSystem</c>, the default, or <c>S3</c>), orphan cleanup and
    /// the photo pipeline (<c>Images:*</c>, <see cref="ImageOptions"/>). The mode and the image settings are checked
    /// now; the mode's own settings when the store is first used, so a silo that never touches blobs (another module's
    /// tests) needs none of them.
    /// </summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
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
        var images = ImageOptions.FromConfiguration(configuration);
        // The real clock, whatever TimeProvider the host uses: the decode deadline bounds CPU time, and a test clock
        // moved on by days must not cut a decode short.
        services.AddSingleton(_ => new PhotoPipeline(images, TimeProvider.System));
        services.AddSingleton<PhotoStore>();
        return services;
    }
}
