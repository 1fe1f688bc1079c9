using System.Runtime.InteropServices;
using System.Security.Cryptography;
using NeXChange.Errors;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace NeXChange.Images;

/// <summary>
/// Turns an untrusted upload into the re-encoded, metadata-free variants of SPEC.md 4.5, checking in the spec's
/// order: size, magic bytes, header dimensions (before any pixel is decoded), then a decode under a memory budget.
/// Every refusal is a <see cref="DomainException"/> with <c>payload_too_large</c>, <c>unsupported_media_type</c> or
/// <c>image_invalid</c>; no other exception escapes for any input.
/// </summary>
public sealed class PhotoPipeline : IDisposable
{
    // ImageSharp 2.1's JPEG encoder writes baseline only; it has no progressive mode.
    private static readonly JpegEncoder Jpeg = new() { Quality = 80 };
    private static readonly WebpEncoder Webp = new() { Quality = 80, FileFormat = WebpFileFormatType.Lossy };

    private readonly Configuration configuration;
    private readonly SemaphoreSlim decodes = new(ImageLimits.MaxConcurrentDecodes, ImageLimits.MaxConcurrentDecodes);

    public PhotoPipeline()
    {
        configuration = Configuration.Default.Clone();
        configuration.MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions
        {
            AllocationLimitMegabytes = ImageLimits.AllocationLimitMegabytes,
        });
    }

    public async Task<ProcessedPhoto> ProcessAsync(ReadOnlyMemory<byte> upload, CancellationToken cancellationToken = default)
    {
        var format = Validate(upload.Span);
        await decodes.WaitAsync(cancellationToken);
        try
        {
            // Off the caller's scheduler: a grain turn must not spend hundreds of ms of CPU on its own thread.
            return await Task.Run(() => Decode(upload, format), cancellationToken);
        }
        finally
        {
            decodes.Release();
        }
    }

    /// <summary>The cheap checks (1–3 of SPEC.md 4.5 and completeness), run before a decode slot is taken.</summary>
    private UploadFormat Validate(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0) throw Invalid("The file is empty.");
        if (data.Length > ImageLimits.MaxBytes)
            throw new DomainException(ErrorCodes.PayloadTooLarge, $"Images may be at most {ImageLimits.MaxBytes} bytes.");
        var format = UploadFormats.Sniff(data)
            ?? throw new DomainException(ErrorCodes.UnsupportedMediaType, "Only JPEG, PNG and WebP images are accepted.");
        return format;
    }

    private ProcessedPhoto Decode(ReadOnlyMemory<byte> upload, UploadFormat format)
    {
        var (width, height) = HeaderDimensions(upload);
        if (width is < 1 or > ImageLimits.MaxDimension || height is < 1 or > ImageLimits.MaxDimension)
            throw new DomainException(ErrorCodes.ImageInvalid,
                $"Width and height must be between 1 and {ImageLimits.MaxDimension} pixels.",
                extensions: new Dictionary<string, object> { ["reason"] = "dimensions" });
        if (!UploadFormats.IsComplete(format, upload.Span)) throw Invalid("The file is truncated or has data after its end.");

        Image<Rgba32> image;
        try
        {
            image = Image.Load<Rgba32>(configuration, upload.Span);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw Invalid("The image could not be decoded.");
        }
        using (image)
        {
            try
            {
                return Render(image);
            }
            catch (Exception e) when (e is InvalidMemoryOperationException or ImageProcessingException)
            {
                throw Invalid("The image could not be processed.");
            }
        }
    }

    private (int Width, int Height) HeaderDimensions(ReadOnlyMemory<byte> upload)
    {
        try
        {
            using var stream = AsStream(upload);
            var info = Image.Identify(configuration, stream, out _);
            return info is null ? throw Invalid("The image header could not be read.") : (info.Width, info.Height);
        }
        catch (Exception e) when (e is not DomainException and not OperationCanceledException)
        {
            throw Invalid("The image header could not be read.");
        }
    }

    private static ProcessedPhoto Render(Image<Rgba32> image)
    {
        // Transparent PNG/WebP pixels would turn black in a JPEG; photos get a white backdrop instead.
        image.Mutate(x => x.AutoOrient().BackgroundColor(Color.White));
        StripMetadata(image);

        var variants = new List<PhotoVariant>(PhotoVariants.All.Count);
        var master = Encode(image, Jpeg);
        variants.Add(new PhotoVariant(PhotoVariants.Master, PhotoFormat.Jpeg, image.Width, image.Height, master));

        var side = Math.Min(PhotoVariants.ThumbSize, Math.Min(image.Width, image.Height));
        AddBoth(variants, PhotoVariants.Thumb, image, new ResizeOptions
        {
            Size = new Size(side, side), Mode = ResizeMode.Crop, Position = AnchorPositionMode.Center,
        });
        AddBoth(variants, PhotoVariants.W400, image, FitInside(image, 400));
        AddBoth(variants, PhotoVariants.W800, image, FitInside(image, 800));

        return new ProcessedPhoto(Convert.ToHexStringLower(SHA256.HashData(master)), image.Width, image.Height, variants);
    }

    /// <summary>Fit inside a box of <paramref name="box"/> pixels; never upscale (null: keep the size).</summary>
    private static ResizeOptions? FitInside(Image image, int box) =>
        image.Width <= box && image.Height <= box ? null : new ResizeOptions { Size = new Size(box, box), Mode = ResizeMode.Max };

    private static void AddBoth(List<PhotoVariant> variants, string name, Image<Rgba32> source, ResizeOptions? resize)
    {
        using var resized = resize is null ? source.Clone() : source.Clone(x => x.Resize(resize));
        variants.Add(new PhotoVariant(name, PhotoFormat.Jpeg, resized.Width, resized.Height, Encode(resized, Jpeg)));
        variants.Add(new PhotoVariant(name, PhotoFormat.WebP, resized.Width, resized.Height, Encode(resized, Webp)));
    }

    /// <summary>
    /// Drops EXIF (incl. GPS), XMP, IPTC and ICC from the image and its frames. ImageSharp 2.1 has no ICC colour
    /// conversion, so pixels are taken as sRGB and the profile goes; a JPEG comment is not kept by the decoder at all.
    /// </summary>
    private static void StripMetadata(Image image)
    {
        image.Metadata.ExifProfile = null;
        image.Metadata.XmpProfile = null;
        image.Metadata.IptcProfile = null;
        image.Metadata.IccProfile = null;
        foreach (var frame in image.Frames)
        {
            frame.Metadata.ExifProfile = null;
            frame.Metadata.XmpProfile = null;
            frame.Metadata.IptcProfile = null;
            frame.Metadata.IccProfile = null;
        }
    }

    private static byte[] Encode(Image image, SixLabors.ImageSharp.Formats.IImageEncoder encoder)
    {
        using var output = new MemoryStream();
        image.Save(output, encoder);
        return output.ToArray();
    }

    private static MemoryStream AsStream(ReadOnlyMemory<byte> data) =>
        MemoryMarshal.TryGetArray(data, out var segment) && segment.Array is not null
            ? new MemoryStream(segment.Array, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(data.ToArray(), writable: false);

    private static DomainException Invalid(string detail) => new(ErrorCodes.ImageInvalid, detail);

    public void Dispose() => decodes.Dispose();
}
