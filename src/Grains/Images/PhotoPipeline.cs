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
/// order: size, magic bytes, header dimensions and the file's structure (<see cref="ImageHeader"/>, before any pixel is
/// decoded), then a decode under a memory budget and a deadline in a slot of the <see cref="DecodeQueue"/>.
/// Every refusal is a <see cref="DomainException"/> with <c>payload_too_large</c>, <c>unsupported_media_type</c>,
/// <c>image_invalid</c> or, when the queue is full, <c>service_unavailable</c>; no other exception escapes for any
/// input.
/// </summary>
public sealed class PhotoPipeline : IDisposable
{
    // ImageSharp 2.1's JPEG encoder writes baseline only; it has no progressive mode.
    private static readonly JpegEncoder Jpeg = new() { Quality = 80 };
    private static readonly WebpEncoder Webp = new() { Quality = 80, FileFormat = WebpFileFormatType.Lossy };

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
        return await Queue.RunAsync(turn => DecodeAndRender(upload, turn), cancellationToken);
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

    private async Task<ProcessedPhoto> DecodeAndRender(ReadOnlyMemory<byte> upload, DecodeTurn turn)
    {
        Image<Rgba32> image;
        try
        {
            using var stream = upload.AsStream();
            image = await Image.LoadAsync<Rgba32>(configuration, stream, turn.Token);
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
                return Render(image);
            }
            catch (Exception e) when (e is InvalidMemoryOperationException or ImageProcessingException)
            {
                throw ImageRefusals.Invalid("The image could not be processed.");
            }
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

    public void Dispose() => Queue.Dispose();
}
