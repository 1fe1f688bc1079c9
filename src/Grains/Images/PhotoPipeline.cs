using NeXChange.Errors;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;

namespace NeXChange.Images;

/// <summary>
/// Turns an untrusted upload into the re-encoded, metadata-free variants of SPEC.md 4.5, checking in the spec's
/// order: size, magic bytes, header dimensions and the file's structure (<see cref="ImageHeader"/>, before any pixel is
/// decoded), then a decode under a memory budget and a deadline in a slot of the <see cref="DecodeQueue"/>.
/// Every refusal is a <see cref="DomainException"/> with <c>payload_too_large</c>, <c>unsupported_media_type</c>,
/// <c>image_invalid</c> or, when the queue is full, <c>service_unavailable</c>; no other exception escapes for any
/// input.
/// </summary>
public sealed class PhotoPipeline : IDisposable
{
    private readonly Configuration configuration;
    private readonly ImageOptions options;

    public PhotoPipeline(ImageOptions options, TimeProvider time)
    {
        this.options = options;
        Queue = new DecodeQueue(options, time);
        configuration = Configuration.Default.Clone();
        configuration.MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions
        {
            AllocationLimitMegabytes = ImageLimits.AllocationLimitMegabytes,
        });
    }

    internal DecodeQueue Queue { get; }

    public async Task<ProcessedPhoto> ProcessAsync(ReadOnlyMemory<byte> upload, CancellationToken cancellationToken = default)
    {
        var format = Validate(upload.Span);
        // The structure walk is linear in the file and cheap, so refusals need no slot and are given even when the
        // queue is full.
        ImageHeader.Read(format, upload, options);
        return await Queue.RunAsync(turn => DecodeAndRender(upload, format, turn), cancellationToken);
    }

    /// <summary>Steps 1 and 2 of SPEC.md 4.5.</summary>
    private static UploadFormat Validate(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0) throw ImageRefusals.Invalid("The file is empty.");
        if (data.Length > ImageLimits.MaxBytes)
            throw new DomainException(ErrorCodes.PayloadTooLarge, $"Images may be at most {ImageLimits.MaxBytes} bytes.");
        return UploadFormats.Sniff(data)
            ?? throw new DomainException(ErrorCodes.UnsupportedMediaType, "Only JPEG, PNG and WebP images are accepted.");
    }

    /// <summary>
    /// A JPEG has no alpha channel: decoded straight to RGB it skips the white backdrop and moves three bytes a pixel
    /// through every later step instead of four.
    /// </summary>
    private Task<ProcessedPhoto> DecodeAndRender(ReadOnlyMemory<byte> upload, UploadFormat format, DecodeTurn turn) =>
        format == UploadFormat.Jpeg ? DecodeAndRender<Rgb24>(upload, turn) : DecodeAndRender<Rgba32>(upload, turn);

    private async Task<ProcessedPhoto> DecodeAndRender<TPixel>(ReadOnlyMemory<byte> upload, DecodeTurn turn)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        Image<TPixel> image;
        try
        {
            using var stream = upload.AsStream();
            image = await Image.LoadAsync<TPixel>(configuration, stream, turn.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw ImageRefusals.Invalid("The image could not be decoded.");
        }
        turn.Decoded();
        using (image)
        {
            try
            {
                return await PhotoRendering.RenderAsync(image);
            }
            catch (Exception e) when (e is InvalidMemoryOperationException or ImageProcessingException)
            {
                throw ImageRefusals.Invalid("The image could not be processed.");
            }
        }
    }

    public void Dispose() => Queue.Dispose();
}
