using System.Buffers.Binary;
using System.Text;
using NeXChange.Errors;
using NeXChange.Images;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using Xunit.Abstractions;

namespace NeXChange.Storage.Tests;

/// <summary>
/// Fuzz-style: hundreds of malformed uploads derived from valid seeds, and files built to be costly to decode. Each
/// must end as a processed photo or as one of the three upload refusals before its own deadline; any other
/// exception, an input that hangs past the deadline or runaway memory fails the test.
/// </summary>
public sealed class HostileUploadTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] UploadCodes = [ErrorCodes.PayloadTooLarge, ErrorCodes.UnsupportedMediaType, ErrorCodes.ImageInvalid];

    /// <summary>
    /// Generous, and only there to turn a hang into a failure. The pipeline's own decode deadline runs on a test clock
    /// here, so every input has to end within the bounds checked before and during decode.
    /// </summary>
    private static readonly TimeSpan PerInputDeadline = TimeSpan.FromSeconds(60);

    private readonly PhotoPipeline pipeline = TestPipelines.Create();

    public void Dispose() => pipeline.Dispose();

    [Fact]
    public async Task every_hostile_upload_is_processed_or_refused_with_an_upload_code_before_its_deadline_and_within_bounded_memory()
    {
        var inputs = HostileInputs().ToList();
        Assert.True(inputs.Count >= 300, $"only {inputs.Count} inputs");
        GC.Collect();
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var failures = new List<string>();
        var outcomes = new Dictionary<string, int>();

        foreach (var (name, bytes) in inputs)
        {
            using var deadline = new CancellationTokenSource(PerInputDeadline);
            string outcome;
            try
            {
                var photo = await pipeline.ProcessAsync(bytes, deadline.Token).WaitAsync(deadline.Token);
                using var master = Image.Load(photo.Variants.Single(v => v.Name == PhotoVariants.Master).Bytes);
                if (master.Width > ImageLimits.MaxDimension || master.Height > ImageLimits.MaxDimension)
                    failures.Add($"{name}: accepted at {master.Width}x{master.Height}");
                outcome = "processed";
            }
            catch (DomainException e) when (UploadCodes.Contains(e.Code))
            {
                outcome = e.Code;
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested)
            {
                failures.Add($"{name}: no answer within {PerInputDeadline.TotalSeconds} s");
                outcome = "hang";
            }
            catch (Exception e)
            {
                failures.Add($"{name}: {e.GetType().Name}: {e.Message}");
                outcome = "crash";
            }
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        var memoryGrowth = GC.GetTotalMemory(forceFullCollection: true) - memoryBefore;
        output.WriteLine($"{inputs.Count} inputs; managed memory growth {memoryGrowth / 1024 / 1024} MB; " +
                         $"outcomes {string.Join(", ", outcomes.Select(o => $"{o.Key}={o.Value}"))}");
        Assert.Empty(failures);
        Assert.True(memoryGrowth < 256L * 1024 * 1024, $"managed memory grew {memoryGrowth} bytes");
        Assert.True(outcomes.GetValueOrDefault("processed") > 0, "no input survived: the seeds themselves are refused");
    }

    [Fact]
    public async Task a_png_declaring_20000_by_20000_pixels_is_refused_from_its_header_without_decoding()
    {
        var bomb = WithPngSize(TestImages.Png(64, 48), 20000, 20000);
        var refusal = await Assert.ThrowsAsync<DomainException>(() => pipeline.ProcessAsync(bomb));
        Assert.Equal(ErrorCodes.ImageInvalid, refusal.Code);
        // The dimensions reason comes only from the header check, which runs before any decode.
        Assert.Equal("dimensions", refusal.Extensions["reason"]);
    }

    private static IEnumerable<(string Name, byte[] Bytes)> HostileInputs()
    {
        var random = new Random(20260301);
        var seeds = new (string Name, byte[] Bytes)[]
        {
            ("jpeg", TestImages.Jpeg(64, 48)), ("png", TestImages.Png(64, 48)), ("webp", TestImages.WebP(64, 48)),
        };
        foreach (var (seed, bytes) in seeds)
        {
            yield return (seed, bytes);
            for (var i = 0; i < 40; i++)
            {
                var cut = i * bytes.Length / 40;
                yield return ($"{seed} cut at {cut}", bytes[..cut]);
            }
            for (var i = 0; i < 40; i++) yield return ($"{seed} header flip {i}", Flip(bytes, random, Math.Min(bytes.Length, 100), 1 + i % 3));
            for (var i = 0; i < 30; i++) yield return ($"{seed} body flip {i}", Flip(bytes, random, bytes.Length, 1 + i % 8));
            yield return ($"{seed} + zip", [.. bytes, .. ZipTail]);
            yield return ($"{seed} + html", [.. bytes, .. Encoding.ASCII.GetBytes("<html><script>alert(1)</script></html>")]);
            yield return ($"{seed} doubled", [.. bytes, .. bytes]);
        }

        var png = seeds[1].Bytes;
        foreach (var (w, h) in new[] { (4000, 4000), (20000, 20000), (0, 10), (10, 0), (int.MaxValue, 1), (4001, 4000), (65535, 65535) })
        {
            yield return ($"png IHDR {w}x{h}", WithPngSize(png, w, h));
            var badCrc = png.ToArray();
            BinaryPrimitives.WriteInt32BigEndian(badCrc.AsSpan(16), w);
            BinaryPrimitives.WriteInt32BigEndian(badCrc.AsSpan(20), h);
            yield return ($"png IHDR {w}x{h} stale crc", badCrc);
        }

        var jpeg = seeds[0].Bytes;
        var sof = jpeg.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
        Assert.True(sof > 0, "seed JPEG has no SOF0");
        foreach (var (w, h) in new[] { (65535, 65535), (0, 0), (4001, 10), (4000, 4000), (1, 65000) })
        {
            var patched = jpeg.ToArray();
            BinaryPrimitives.WriteUInt16BigEndian(patched.AsSpan(sof + 5), (ushort)h);
            BinaryPrimitives.WriteUInt16BigEndian(patched.AsSpan(sof + 7), (ushort)w);
            yield return ($"jpeg SOF {w}x{h}", patched);
        }

        var webp = seeds[2].Bytes;
        Assert.True(webp.AsSpan(23, 3).SequenceEqual(new byte[] { 0x9D, 0x01, 0x2A }), "seed WebP is not simple lossy VP8");
        foreach (var (w, h) in new[] { (16383, 16383), (0, 0), (4001, 1) })
        {
            var patched = webp.ToArray();
            BinaryPrimitives.WriteUInt16LittleEndian(patched.AsSpan(26), (ushort)w);
            BinaryPrimitives.WriteUInt16LittleEndian(patched.AsSpan(28), (ushort)h);
            yield return ($"webp VP8 {w}x{h}", patched);
        }
        var lying = webp.ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(lying.AsSpan(4), uint.MaxValue);
        yield return ("webp RIFF size max", lying);

        // A real decompression-heavy file within the limits (16 MP of one colour, a few KB), and the same with a
        // header claiming 20000x20000.
        var solid = SolidPng(4000, 4000);
        yield return ("png 4000x4000 solid", solid);
        yield return ("png 4000x4000 solid declaring 20000x20000", WithPngSize(solid, 20000, 20000));

        // Cheap to send, costly to decode: scans, segments, chunks and compressed metadata past their limits.
        yield return ("jpeg 4000x4000 with 60000 scans", HostileImages.ProgressiveJpeg(4000, 4000, acScans: 60_000));
        yield return ("jpeg 4000x4000 with 300 scans", HostileImages.ProgressiveJpeg(4000, 4000, acScans: 300));
        yield return ("jpeg with 5000 segments", HostileImages.JpegWithComments(jpeg, 5000));
        yield return ("png with 10000 chunks", HostileImages.PngWithChunks(png, Enumerable.Repeat(("tEXt", new byte[] { (byte)'k', 0 }), 10_000)));
        foreach (var chunk in new[] { "zTXt", "iTXt", "iCCP" })
            yield return ($"png {chunk} inflating to 64 MB", HostileImages.PngWithChunks(png, [(chunk, HostileImages.CompressedMetadata(chunk, 64))]));
        yield return ("webp animated", HostileImages.WebPWithCanvas(webp, flags: 0x02, 64, 48));
        yield return ("webp canvas 16384x16384", HostileImages.WebPWithCanvas(webp, flags: 0, 16384, 16384));
        var jpegComponents = jpeg.ToArray();
        jpegComponents[sof + 9] = 255;
        yield return ("jpeg SOF with 255 components", jpegComponents);

        yield return ("zip with jpeg magic", [0xFF, 0xD8, 0xFF, .. ZipTail]);
        yield return ("empty", []);
        yield return ("1000 zero bytes", new byte[1000]);
        yield return ("one byte FF", [0xFF]);
        yield return ("jpeg magic only", [0xFF, 0xD8, 0xFF]);
        yield return ("jpeg SOI EOI", [0xFF, 0xD8, 0xFF, 0xD9]);
        yield return ("png signature only", png[..8]);
        yield return ("png signature + IEND", [.. png[..8], 0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]);
        yield return ("riff webp header only", [.. "RIFF"u8, 4, 0, 0, 0, .. "WEBP"u8]);
        for (var i = 0; i < 20; i++)
        {
            var noise = new byte[random.Next(1, 4096)];
            random.NextBytes(noise);
            var magic = seeds[i % 3].Bytes[..12];
            magic.CopyTo(noise.AsSpan(0, Math.Min(12, noise.Length)));
            yield return ($"magic + noise {i}", noise);
        }
    }

    private static readonly byte[] ZipTail =
        [.. "PK\x03\x04"u8, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, (byte)'a',
         .. "PK\x05\x06"u8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private static byte[] Flip(byte[] seed, Random random, int within, int count)
    {
        var copy = seed.ToArray();
        for (var i = 0; i < count; i++) copy[random.Next(within)] ^= (byte)random.Next(1, 256);
        return copy;
    }

    /// <summary>The PNG with its IHDR size rewritten and the chunk CRC fixed, so only the size is a lie.</summary>
    private static byte[] WithPngSize(byte[] png, int width, int height)
    {
        var copy = png.ToArray();
        BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(16), width);
        BinaryPrimitives.WriteInt32BigEndian(copy.AsSpan(20), height);
        BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(29), HostileImages.Crc32(copy.AsSpan(12, 17)));
        return copy;
    }

    private static byte[] SolidPng(int width, int height)
    {
        using var image = new Image<Rgb24>(width, height, new Rgb24(10, 120, 200));
        using var stream = new MemoryStream();
        image.Save(stream, new PngEncoder { CompressionLevel = PngCompressionLevel.BestCompression });
        return stream.ToArray();
    }
}
