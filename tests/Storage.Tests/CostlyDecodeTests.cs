using Microsoft.Extensions.Time.Testing;
using NeXChange.Errors;
using NeXChange.Images;
using SixLabors.ImageSharp;

namespace NeXChange.Storage.Tests;

/// <summary>
/// Regression: a 1.5 MB progressive JPEG of 60,000 scans kept a core busy for minutes, and a PNG whose zTXt inflates
/// to a gigabyte ran the silo out of memory, both before any limit applied. Each test has a deadline that turns a
/// hang into a failure; none measures time.
/// </summary>
public sealed class CostlyDecodeTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    private static async Task<T> Within<T>(Func<CancellationToken, Task<T>> action)
    {
        using var hang = new CancellationTokenSource(Hang);
        return await action(hang.Token).WaitAsync(hang.Token);
    }

    private static async Task<DomainException> RefusedAsync(PhotoPipeline pipeline, byte[] upload) =>
        await Assert.ThrowsAsync<DomainException>(() => Within(token => pipeline.ProcessAsync(upload, token)));

    [Fact]
    public async Task a_jpeg_of_60000_scans_is_refused_for_its_decode_cost_and_the_next_photo_is_processed_normally()
    {
        var scans = HostileImages.ProgressiveJpeg(4000, 4000, acScans: 60_000);
        // The file is what it claims: a 4000x4000 progressive JPEG well under the size limit.
        Assert.InRange(scans.Length, 1_000_000, ImageLimits.MaxBytes);
        Assert.Equal((4000, 4000), Identified(scans));
        using var pipeline = TestPipelines.Create(new ImageOptions { MaxConcurrentDecodes = 1 });

        var refusal = await RefusedAsync(pipeline, scans);

        Assert.Equal(ErrorCodes.ImageInvalid, refusal.Code);
        Assert.Equal("decode_cost", refusal.Extensions["reason"]);
        var photo = await Within(token => pipeline.ProcessAsync(TestImages.Jpeg(1200, 900), token));
        Assert.Equal((1200, 900), (photo.Width, photo.Height));
        Assert.Equal(PhotoVariants.All.Count, photo.Variants.Count);
    }

    [Fact]
    public async Task a_progressive_jpeg_of_as_many_scans_as_the_limit_is_processed_and_one_more_is_refused()
    {
        using var pipeline = TestPipelines.Create();

        // The DC scan counts too.
        var atLimit = await Within(token => pipeline.ProcessAsync(HostileImages.ProgressiveJpeg(256, 128, ImageLimits.MaxJpegScans - 1), token));
        var overLimit = await RefusedAsync(pipeline, HostileImages.ProgressiveJpeg(256, 128, ImageLimits.MaxJpegScans));

        Assert.Equal((256, 128), (atLimit.Width, atLimit.Height));
        Assert.Equal("decode_cost", overLimit.Extensions["reason"]);
    }

    [Fact]
    public async Task a_decode_past_its_deadline_is_refused_and_ends_so_the_next_photo_gets_the_one_slot()
    {
        // No scan limit, so the 60,000 scans reach ImageSharp, whose decode honours the deadline's token between
        // scans. Were it to run on, it would keep the only slot for minutes and the second photo would hang.
        var time = new FakeTimeProvider();
        var options = new ImageOptions { MaxConcurrentDecodes = 1, MaxJpegScans = int.MaxValue, DecodeDeadline = TimeSpan.FromSeconds(15) };
        using var pipeline = new PhotoPipeline(options, time);
        using var hang = new CancellationTokenSource(Hang);

        var costly = pipeline.ProcessAsync(HostileImages.ProgressiveJpeg(4000, 4000, acScans: 60_000), hang.Token);
        // The slot, and with it the deadline, is taken before ProcessAsync first yields.
        Assert.Equal(1, pipeline.Queue.Running);
        time.Advance(options.DecodeDeadline);

        var refusal = await Assert.ThrowsAsync<DomainException>(() => costly.WaitAsync(hang.Token));
        Assert.Equal(ErrorCodes.ImageInvalid, refusal.Code);
        Assert.Equal("decode_cost", refusal.Extensions["reason"]);
        var photo = await Within(token => pipeline.ProcessAsync(TestImages.Jpeg(640, 480), token));
        Assert.Equal((640, 480), (photo.Width, photo.Height));
    }

    [Theory]
    [InlineData("zTXt")]
    [InlineData("iTXt")]
    [InlineData("iCCP")]
    public async Task a_png_whose_compressed_metadata_inflates_past_the_budget_is_refused_before_decoding(string chunk)
    {
        using var pipeline = TestPipelines.Create();
        var bomb = HostileImages.PngWithChunks(TestImages.Png(64, 48), [(chunk, HostileImages.CompressedMetadata(chunk, megabytes: 64))]);

        var refusal = await RefusedAsync(pipeline, bomb);

        Assert.Equal(ErrorCodes.ImageInvalid, refusal.Code);
        Assert.Equal("decode_cost", refusal.Extensions["reason"]);
    }

    [Fact]
    public async Task a_png_with_a_little_compressed_metadata_is_processed()
    {
        using var pipeline = TestPipelines.Create();
        var png = HostileImages.PngWithChunks(TestImages.Png(64, 48), [("zTXt", HostileImages.CompressedMetadata("zTXt", megabytes: 1))]);

        var photo = await Within(token => pipeline.ProcessAsync(png, token));

        Assert.Equal((64, 48), (photo.Width, photo.Height));
    }

    [Fact]
    public async Task a_png_of_more_chunks_than_the_limit_is_refused()
    {
        using var pipeline = TestPipelines.Create();
        var chunks = Enumerable.Repeat(("tEXt", new byte[] { (byte)'k', 0, (byte)'v' }), ImageLimits.MaxPngChunks);

        var refusal = await RefusedAsync(pipeline, HostileImages.PngWithChunks(TestImages.Png(64, 48), chunks));

        Assert.Equal("decode_cost", refusal.Extensions["reason"]);
    }

    [Fact]
    public async Task a_jpeg_of_more_segments_than_the_limit_is_refused()
    {
        using var pipeline = TestPipelines.Create();

        var refusal = await RefusedAsync(pipeline, HostileImages.JpegWithComments(TestImages.Jpeg(64, 48), ImageLimits.MaxJpegSegments));

        Assert.Equal("decode_cost", refusal.Extensions["reason"]);
    }

    private static (int, int) Identified(byte[] image)
    {
        var info = Image.Identify(image);
        return (info.Width, info.Height);
    }
}
