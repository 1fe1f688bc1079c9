using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace NeXChange.Api.Tests;

/// <summary>Real image files made in the test, the way a phone would send them.</summary>
public static class TestImages
{
    public static byte[] Jpeg(int width = 640, int height = 480, bool withGps = false)
    {
        using var image = Picture(width, height);
        if (withGps)
        {
            var exif = new ExifProfile();
            exif.SetValue(ExifTag.GPSLatitudeRef, "N");
            exif.SetValue(ExifTag.GPSLatitude, [new Rational(40, 1), new Rational(44, 1), new Rational(5412, 100)]);
            exif.SetValue(ExifTag.Make, "TestPhone");
            image.Metadata.ExifProfile = exif;
        }
        return Encode(image, new JpegEncoder { Quality = 90 });
    }

    public static byte[] Png(int width = 300, int height = 300)
    {
        using var image = Picture(width, height);
        return Encode(image, new PngEncoder());
    }

    public static byte[] WebP(int width = 320, int height = 200)
    {
        using var image = Picture(width, height);
        return Encode(image, new WebpEncoder());
    }

    private static Image<Rgb24> Picture(int width, int height)
    {
        var image = new Image<Rgb24>(width, height);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++) row[x] = new Rgb24((byte)(x * 255 / width), (byte)(y * 255 / height), 128);
            }
        });
        return image;
    }

    private static byte[] Encode(Image image, SixLabors.ImageSharp.Formats.IImageEncoder encoder)
    {
        using var stream = new MemoryStream();
        image.Save(stream, encoder);
        return stream.ToArray();
    }
}
