using System.Text;
using NeXChange.Errors;
using NeXChange.Images;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.Metadata.Profiles.Iptc;
using SixLabors.ImageSharp.Metadata.Profiles.Xmp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace NeXChange.Storage.Tests;

public sealed class PhotoPipelineTests : IDisposable
{
    private readonly PhotoPipeline pipeline = TestPipelines.Create();

    public void Dispose() => pipeline.Dispose();

    private static PhotoVariant Variant(ProcessedPhoto photo, string name, PhotoFormat format) =>
        Assert.Single(photo.Variants, v => v.Name == name && v.Format == format);

    private static async Task<DomainException> RefusedAsync(PhotoPipeline pipeline, byte[] upload) =>
        await Assert.ThrowsAsync<DomainException>(() => pipeline.ProcessAsync(upload));

    [Fact]
    public async Task a_large_photo_yields_a_full_size_master_a_150_square_thumb_and_fitted_w400_w800_in_jpeg_and_webp()
    {
        var photo = await pipeline.ProcessAsync(TestImages.Jpeg(1600, 1200));

        Assert.Equal((1600, 1200), (photo.Width, photo.Height));
        Assert.Equal(7, photo.Variants.Count);
        Assert.DoesNotContain(photo.Variants, v => v.Name == PhotoVariants.Master && v.Format == PhotoFormat.WebP);
        var expected = new Dictionary<string, (int, int)>
        {
            [PhotoVariants.Master] = (1600, 1200), [PhotoVariants.Thumb] = (150, 150),
            [PhotoVariants.W400] = (400, 300), [PhotoVariants.W800] = (800, 600),
        };
        foreach (var variant in photo.Variants)
        {
            using var decoded = Image.Load(variant.Bytes, out var format);
            Assert.Equal(variant.Format == PhotoFormat.Jpeg ? "JPEG" : "Webp", format.Name);
            Assert.Equal(expected[variant.Name], (decoded.Width, decoded.Height));
            Assert.Equal((decoded.Width, decoded.Height), (variant.Width, variant.Height));
        }
    }

    [Fact]
    public async Task a_portrait_photo_fits_inside_the_box_by_its_height()
    {
        var photo = await pipeline.ProcessAsync(TestImages.Png(900, 1800));
        Assert.Equal((200, 400), (Variant(photo, PhotoVariants.W400, PhotoFormat.WebP).Width, Variant(photo, PhotoVariants.W400, PhotoFormat.WebP).Height));
        Assert.Equal((400, 800), (Variant(photo, PhotoVariants.W800, PhotoFormat.Jpeg).Width, Variant(photo, PhotoVariants.W800, PhotoFormat.Jpeg).Height));
        Assert.Equal((150, 150), (Variant(photo, PhotoVariants.Thumb, PhotoFormat.Jpeg).Width, Variant(photo, PhotoVariants.Thumb, PhotoFormat.Jpeg).Height));
    }

    [Fact]
    public async Task a_small_photo_is_never_upscaled()
    {
        var photo = await pipeline.ProcessAsync(TestImages.WebP(120, 90));
        Assert.All(photo.Variants.Where(v => v.Name != PhotoVariants.Thumb), v => Assert.Equal((120, 90), (v.Width, v.Height)));
        // The thumb stays a centred square crop, as large as the picture allows.
        Assert.All(photo.Variants.Where(v => v.Name == PhotoVariants.Thumb), v => Assert.Equal((90, 90), (v.Width, v.Height)));
    }

    [Theory]
    [InlineData(900, 300)] // cut from w800 (800x267): w400 (400x133) is too short for a 150 square
    [InlineData(1600, 1200)] // cut from w400 (400x300)
    [InlineData(4000, 200)] // cut from the original: w800 (800x40) is too short
    public async Task the_thumb_is_cropped_from_the_centre(int width, int height)
    {
        // Red left of the centred square, green inside it, blue right of it: the thumb must be all green.
        var upload = TestImages.Make(width, height, new JpegEncoder { Quality = 95 }, pixel: (x, _) =>
            x < (width - height) / 2 ? new Rgba32(255, 0, 0) : x < (width + height) / 2 ? new Rgba32(0, 255, 0) : new Rgba32(0, 0, 255));
        var photo = await pipeline.ProcessAsync(upload);

        using var thumb = Image.Load<Rgba32>(Variant(photo, PhotoVariants.Thumb, PhotoFormat.Jpeg).Bytes);
        Assert.Equal((150, 150), (thumb.Width, thumb.Height));
        foreach (var (x, y) in new[] { (2, 2), (147, 2), (75, 75), (2, 147), (147, 147) })
        {
            var p = thumb[x, y];
            Assert.True(p.G > 200 && p.R < 60 && p.B < 60, $"pixel ({x},{y}) = {p}");
        }
    }

    [Theory]
    [InlineData(2000, 1497)]
    [InlineData(1497, 2000)]
    [InlineData(1200, 602)]
    public async Task w400_and_w800_have_the_size_imagesharp_fits_from_the_original_even_though_w400_is_made_from_w800(int width, int height)
    {
        // 2000x1497: w800 is 800x599 (598.8), and fitting that again into 400 would give 400x300 (299.5 rounds to
        // even), where the original fits to 400x299 (299.4); 1200x602 the other way round (200.5 against 200.7).
        var photo = await pipeline.ProcessAsync(TestImages.Jpeg(width, height));

        foreach (var (name, box) in new[] { (PhotoVariants.W800, 800), (PhotoVariants.W400, 400) })
        {
            using var probe = new Image<Rgb24>(width, height);
            probe.Mutate(x => x.Resize(new ResizeOptions { Size = new Size(box, box), Mode = ResizeMode.Max }));
            foreach (var format in new[] { PhotoFormat.Jpeg, PhotoFormat.WebP })
            {
                var variant = Variant(photo, name, format);
                using var decoded = Image.Load(variant.Bytes);
                Assert.Equal((probe.Width, probe.Height), (variant.Width, variant.Height));
                Assert.Equal((probe.Width, probe.Height), (decoded.Width, decoded.Height));
            }
        }
    }

    [Fact]
    public async Task every_smaller_variant_looks_like_the_original_downscaled_directly()
    {
        // Detail at several scales, so blur, a shifted crop, a colour error or a low quality setting shows in the PSNR.
        var upload = TestImages.Make(2400, 1800, new JpegEncoder { Quality = 95 }, pixel: (x, y) => new Rgba32(
            (byte)(128 + 100 * Math.Sin(x / 37.0) * Math.Cos(y / 53.0)), (byte)(x * 255 / 2399), (byte)(128 + 90 * Math.Sin((x + y) / 71.0))));
        var photo = await pipeline.ProcessAsync(upload);

        using var original = Image.Load<Rgb24>(upload);
        foreach (var variant in photo.Variants.Where(v => v.Name != PhotoVariants.Master))
        {
            using var expected = original.Clone(x => x.Resize(new ResizeOptions
            {
                Size = new Size(variant.Width, variant.Height),
                Mode = variant.Name == PhotoVariants.Thumb ? ResizeMode.Crop : ResizeMode.Stretch,
            }));
            using var actual = Image.Load<Rgb24>(variant.Bytes);
            var psnr = Psnr(expected, actual);
            Assert.True(psnr >= MinimumPsnr, $"{variant.Name}.{variant.Format.Extension()}: PSNR {psnr:0.0} dB");
        }
    }

    /// <summary>
    /// Below what JPEG and WebP at quality 80 keep of this picture: 34.2 dB (thumb.webp) to 45.0 (w800.jpg), as the
    /// pipeline that resized every variant from the original and encoded WebP at method 4 did (34.5 to 45.0).
    /// </summary>
    private const double MinimumPsnr = 32;

    private static double Psnr(Image<Rgb24> expected, Image<Rgb24> actual)
    {
        Assert.Equal(expected.Size(), actual.Size());
        double squares = 0;
        for (var y = 0; y < expected.Height; y++)
        for (var x = 0; x < expected.Width; x++)
        {
            var (e, a) = (expected[x, y], actual[x, y]);
            squares += (e.R - a.R) * (e.R - a.R) + (e.G - a.G) * (e.G - a.G) + (e.B - a.B) * (e.B - a.B);
        }
        var meanSquare = squares / (3.0 * expected.Width * expected.Height);
        return 10 * Math.Log10(255.0 * 255.0 / meanSquare);
    }

    private static byte[] JpegWithEverything(ushort orientation) =>
        TestImages.Make(300, 200, new JpegEncoder { Quality = 95 }, metadata =>
        {
            var exif = new ExifProfile();
            exif.SetValue(ExifTag.Orientation, orientation);
            exif.SetValue(ExifTag.Make, "SpyCam");
            exif.SetValue(ExifTag.GPSLatitudeRef, "N");
            exif.SetValue(ExifTag.GPSLatitude, [new Rational(40, 1), new Rational(44, 1), new Rational(5497, 100)]);
            exif.SetValue(ExifTag.GPSLongitudeRef, "W");
            exif.SetValue(ExifTag.GPSLongitude, [new Rational(73, 1), new Rational(59, 1), new Rational(1, 1)]);
            metadata.ExifProfile = exif;
            var iptc = new IptcProfile();
            iptc.SetValue(IptcTag.Caption, "SecretCaption");
            metadata.IptcProfile = iptc;
            metadata.XmpProfile = new XmpProfile(Encoding.UTF8.GetBytes(
                "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">SecretXmp</rdf:RDF></x:xmpmeta>"));
        }, pixel: (x, _) => x < 150 ? new Rgba32(255, 0, 0) : new Rgba32(0, 0, 255));

    [Fact]
    public async Task no_output_carries_exif_gps_xmp_iptc_or_icc()
    {
        var upload = JpegWithEverything(orientation: 1);
        using (var input = Image.Load(upload))
        {
            // The test means something only if the upload really carries them.
            Assert.NotNull(input.Metadata.ExifProfile?.GetValue(ExifTag.GPSLatitude));
            Assert.NotNull(input.Metadata.IptcProfile);
            Assert.NotNull(input.Metadata.XmpProfile);
        }

        var photo = await pipeline.ProcessAsync(upload);

        foreach (var variant in photo.Variants)
        {
            using var output = Image.Load(variant.Bytes);
            Assert.Null(output.Metadata.ExifProfile);
            Assert.Null(output.Metadata.XmpProfile);
            Assert.Null(output.Metadata.IptcProfile);
            Assert.Null(output.Metadata.IccProfile);
            var text = Encoding.Latin1.GetString(variant.Bytes);
            Assert.DoesNotContain("Exif", text);
            Assert.DoesNotContain("SpyCam", text);
            Assert.DoesNotContain("SecretCaption", text);
            Assert.DoesNotContain("SecretXmp", text);
        }
    }

    [Fact]
    public async Task the_exif_orientation_is_applied_to_the_pixels()
    {
        // Orientation 6: shown rotated 90° clockwise, so the red left half becomes the top half of a 200x300 picture.
        var photo = await pipeline.ProcessAsync(JpegWithEverything(orientation: 6));

        Assert.Equal((200, 300), (photo.Width, photo.Height));
        using var master = Image.Load<Rgba32>(Variant(photo, PhotoVariants.Master, PhotoFormat.Jpeg).Bytes);
        Assert.Equal((200, 300), (master.Width, master.Height));
        Assert.True(master[100, 40].R > 200 && master[100, 40].B < 60, $"top is {master[100, 40]}");
        Assert.True(master[100, 260].B > 200 && master[100, 260].R < 60, $"bottom is {master[100, 260]}");
    }

    [Fact]
    public async Task transparent_pixels_become_white_not_black()
    {
        var upload = TestImages.Make(200, 200, new SixLabors.ImageSharp.Formats.Png.PngEncoder(), pixel: (_, _) => new Rgba32(0, 0, 0, 0));
        var photo = await pipeline.ProcessAsync(upload);
        using var master = Image.Load<Rgba32>(Variant(photo, PhotoVariants.Master, PhotoFormat.Jpeg).Bytes);
        Assert.True(master[100, 100].R > 245 && master[100, 100].G > 245 && master[100, 100].B > 245, $"{master[100, 100]}");
    }

    [Fact]
    public async Task the_same_upload_gives_the_same_hash_of_the_master_jpeg()
    {
        var upload = TestImages.Jpeg(640, 480);
        var first = await pipeline.ProcessAsync(upload);
        var second = await pipeline.ProcessAsync(upload.ToArray());
        Assert.Equal(first.Sha256, second.Sha256);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Variant(first, PhotoVariants.Master, PhotoFormat.Jpeg).Bytes)), first.Sha256);
        Assert.NotEqual(first.Sha256, (await pipeline.ProcessAsync(TestImages.Jpeg(640, 481))).Sha256);
    }

    [Fact]
    public async Task an_upload_of_10_485_761_bytes_is_payload_too_large()
    {
        var upload = new byte[ImageLimits.MaxBytes + 1];
        TestImages.Jpeg(10, 10).CopyTo(upload, 0);
        Assert.Equal(ErrorCodes.PayloadTooLarge, (await RefusedAsync(pipeline, upload)).Code);
    }

    [Fact]
    public async Task an_upload_of_exactly_10_485_760_bytes_passes_the_size_check()
    {
        // A valid JPEG padded to the limit fails later (data after the end marker), not on size.
        var upload = new byte[ImageLimits.MaxBytes];
        TestImages.Jpeg(10, 10).CopyTo(upload, 0);
        Assert.Equal(ErrorCodes.ImageInvalid, (await RefusedAsync(pipeline, upload)).Code);
    }

    [Fact]
    public async Task an_empty_upload_is_image_invalid() =>
        Assert.Equal(ErrorCodes.ImageInvalid, (await RefusedAsync(pipeline, [])).Code);

    public static TheoryData<string, byte[]> NotImages => new()
    {
        { "gif", TestImages.Gif(20, 20) },
        { "pdf", Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n") },
        { "text", Encoding.UTF8.GetBytes("hello, this is not a picture") },
        { "html", Encoding.UTF8.GetBytes("<html><body><img src=x onerror=alert(1)></body></html>") },
        { "riff-but-not-webp", [.. "RIFF"u8, 4, 0, 0, 0, .. "WAVE"u8] },
        { "two-jpeg-magic-bytes", [0xFF, 0xD8] },
    };

    [Theory]
    [MemberData(nameof(NotImages))]
    public async Task anything_but_jpeg_png_or_webp_magic_is_unsupported_media_type(string kind, byte[] upload)
    {
        var refusal = await RefusedAsync(pipeline, upload);
        Assert.True(refusal.Code == ErrorCodes.UnsupportedMediaType, $"{kind}: {refusal.Code}");
    }

    [Theory]
    [InlineData(4001, 1)]
    [InlineData(1, 4001)]
    public async Task a_header_over_4000_pixels_is_image_invalid_for_dimensions(int width, int height)
    {
        var refusal = await RefusedAsync(pipeline, TestImages.Png(width, height));
        Assert.Equal(ErrorCodes.ImageInvalid, refusal.Code);
        Assert.Equal("dimensions", refusal.Extensions["reason"]);
    }

    [Fact]
    public async Task a_picture_of_4000_by_1_pixels_is_accepted()
    {
        var photo = await pipeline.ProcessAsync(TestImages.Png(4000, 1));
        Assert.Equal((4000, 1), (photo.Width, photo.Height));
    }

    [Fact]
    public async Task a_truncated_file_is_image_invalid_not_a_partial_picture()
    {
        var jpeg = TestImages.Jpeg(400, 300);
        var refusal = await RefusedAsync(pipeline, jpeg[..(jpeg.Length / 2)]);
        Assert.Equal(ErrorCodes.ImageInvalid, refusal.Code);
        Assert.False(refusal.Extensions.ContainsKey("reason"));
    }
}
