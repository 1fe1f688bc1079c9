using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;

namespace NeXChange.Storage.Tests;

/// <summary>Images made on the spot with ImageSharp, so every test states the picture it needs.</summary>
public static class TestImages
{
    public static byte[] Jpeg(int width, int height, Action<ImageMetadata>? metadata = null) =>
        Make(width, height, new JpegEncoder { Quality = 90 }, metadata);

    public static byte[] Png(int width, int height) => Make(width, height, new PngEncoder());

    public static byte[] WebP(int width, int height) => Make(width, height, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy });

    public static byte[] Gif(int width, int height) => Make(width, height, new GifEncoder());

    /// <summary>A gradient, so encoders have detail to work on and a crop or rotation is visible.</summary>
    public static byte[] Make(int width, int height, IImageEncoder encoder, Action<ImageMetadata>? metadata = null,
        Func<int, int, Rgba32>? pixel = null)
    {
        using var image = new Image<Rgba32>(width, height);
        pixel ??= (x, y) => new Rgba32((byte)(x * 255 / Math.Max(1, width - 1)), (byte)(y * 255 / Math.Max(1, height - 1)), 128);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++) row[x] = pixel(x, y);
            }
        });
        metadata?.Invoke(image.Metadata);
        using var output = new MemoryStream();
        image.Save(output, encoder);
        return output.ToArray();
    }
}
