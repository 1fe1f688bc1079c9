using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NeXChange.Storage;

namespace NeXChange.Images;

public static class PhotoServices
{
    /// <summary>
    /// The blob store and the photo pipeline on top of it (<c>Images:*</c>, <see cref="ImageOptions"/>, checked now).
    /// </summary>
    public static IServiceCollection AddPhotos(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddBlobStore(configuration);
        var images = ImageOptions.FromConfiguration(configuration);
        // The real clock, whatever TimeProvider the host uses: the decode deadline bounds CPU time, and a test clock
        // moved on by days must not cut a decode short.
        services.AddSingleton(_ => new PhotoPipeline(images, TimeProvider.System));
        services.AddSingleton<PhotoStore>();
        return services;
    }
}
