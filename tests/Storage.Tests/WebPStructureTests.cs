using NeXChange.Errors;
using NeXChange.Images;

namespace NeXChange.Storage.Tests;

public sealed class WebPStructureTests : IDisposable
{
    private readonly PhotoPipeline pipeline = TestPipelines.Create();
    private readonly byte[] webp = TestImages.WebP(64, 48);

    public void Dispose() => pipeline.Dispose();

    [Fact]
    public async Task an_extended_webp_whose_canvas_is_its_image_size_is_processed()
    {
        var photo = await pipeline.ProcessAsync(HostileImages.WebPWithCanvas(webp, flags: 0, 64, 48));
        Assert.Equal((64, 48), (photo.Width, photo.Height));
    }

    [Fact]
    public async Task an_animated_webp_is_image_invalid()
    {
        var refusal = await Assert.ThrowsAsync<DomainException>(() => pipeline.ProcessAsync(HostileImages.WebPWithCanvas(webp, flags: 0x02, 64, 48)));
        Assert.Equal(ErrorCodes.ImageInvalid, refusal.Code);
    }

    [Fact]
    public async Task a_webp_whose_canvas_differs_from_its_image_is_image_invalid()
    {
        var refusal = await Assert.ThrowsAsync<DomainException>(() => pipeline.ProcessAsync(HostileImages.WebPWithCanvas(webp, flags: 0, 64, 49)));
        Assert.Equal(ErrorCodes.ImageInvalid, refusal.Code);
    }

    [Fact]
    public async Task a_webp_canvas_over_4000_pixels_is_image_invalid_for_dimensions()
    {
        var refusal = await Assert.ThrowsAsync<DomainException>(() => pipeline.ProcessAsync(HostileImages.WebPWithCanvas(webp, flags: 0, 4001, 48)));
        Assert.Equal("dimensions", refusal.Extensions["reason"]);
    }
}
