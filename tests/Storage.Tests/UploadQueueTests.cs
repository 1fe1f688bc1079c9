using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using NeXChange.Errors;
using NeXChange.Images;

namespace NeXChange.Storage.Tests;

/// <summary>
/// The decode queue, driven by gates that hold runs in their slots (never by timing) and by a fake clock for the
/// deadline. Waits on the queue carry a generous timeout that only turns a hang into a failure.
/// </summary>
public sealed class UploadQueueTests
{
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly TaskCompletionSource gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private Task<int> Held(DecodeQueue queue, TaskCompletionSource? started = null) => queue.RunAsync(async _ =>
    {
        started?.SetResult();
        await gate.Task;
        return 1;
    });

    [Fact]
    public async Task a_full_queue_answers_service_unavailable_with_retry_after_and_stores_nothing()
    {
        var root = Path.Combine(Path.GetTempPath(), "nexchange-queue-" + Guid.NewGuid().ToString("N"));
        try
        {
            var blobs = new FileSystemBlobStore(root, "https://cdn.nexchange.test", new MediaUrlSigner("a-test-signing-key-of-at-least-32-characters", time));
            using var pipeline = new PhotoPipeline(new ImageOptions { MaxConcurrentDecodes = 1, MaxWaitingUploads = 1 }, time);
            var photos = new PhotoStore(pipeline, blobs);
            var running = Held(pipeline.Queue);
            var waiting = Held(pipeline.Queue);

            var refusal = await Assert.ThrowsAsync<DomainException>(() => photos.StoreItemPhotoAsync(TestImages.Jpeg(300, 200)));

            Assert.Equal(ErrorCodes.ServiceUnavailable, refusal.Code);
            Assert.Equal(ImageLimits.BusyRetryAfterSeconds, refusal.Extensions["retryAfterSeconds"]);
            Assert.Empty(Directory.Exists(root) ? Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories) : []);

            // Once the queue drains, the same upload is stored: it was refused for the queue alone.
            gate.SetResult();
            await Task.WhenAll(running, waiting).WaitAsync(Hang);
            var photo = await photos.StoreItemPhotoAsync(TestImages.Jpeg(300, 200));
            Assert.Equal(PhotoVariants.All.Count, Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Count());
            Assert.Equal((300, 200), (photo.Width, photo.Height));
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task no_more_runs_than_the_concurrency_limit_hold_a_slot_and_the_rest_wait()
    {
        using var queue = new DecodeQueue(new ImageOptions { MaxConcurrentDecodes = 2, MaxWaitingUploads = 2 }, time);

        var runs = Enumerable.Range(0, 4).Select(_ => Held(queue)).ToList();

        Assert.Equal((2, 2), (queue.Running, queue.Waiting));
        await Assert.ThrowsAsync<DomainException>(() => Held(queue));
        gate.SetResult();
        Assert.All(await Task.WhenAll(runs).WaitAsync(Hang), result => Assert.Equal(1, result));
        Assert.Equal((0, 0), (queue.Running, queue.Waiting));
    }

    [Fact]
    public async Task a_run_past_its_deadline_is_refused_but_keeps_its_slot_until_it_really_ends()
    {
        using var queue = new DecodeQueue(new ImageOptions { MaxConcurrentDecodes = 1, MaxWaitingUploads = 1, DecodeDeadline = TimeSpan.FromSeconds(15) }, time);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Like a decoder that never looks at its token.
        var stubborn = Held(queue, started);
        await started.Task.WaitAsync(Hang);

        time.Advance(TimeSpan.FromSeconds(15));
        var refusal = await Assert.ThrowsAsync<DomainException>(() => stubborn.WaitAsync(Hang));

        Assert.Equal(ErrorCodes.ImageInvalid, refusal.Code);
        Assert.Equal("decode_cost", refusal.Extensions["reason"]);
        Assert.Equal(1, queue.Running);
        var next = queue.RunAsync(_ => Task.FromResult(2));
        Assert.Equal(1, queue.Waiting);
        Assert.Equal(ErrorCodes.ServiceUnavailable, (await Assert.ThrowsAsync<DomainException>(() => Held(queue))).Code);
        gate.SetResult();
        Assert.Equal(2, await next.WaitAsync(Hang));
    }

    [Fact]
    public async Task a_run_that_honours_its_token_is_cancelled_at_the_deadline()
    {
        using var queue = new DecodeQueue(new ImageOptions { MaxConcurrentDecodes = 1, DecodeDeadline = TimeSpan.FromSeconds(15) }, time);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = queue.RunAsync(async turn =>
        {
            turn.Token.Register(cancelled.SetResult);
            started.SetResult();
            await Task.Delay(Timeout.Infinite, turn.Token);
            return 0;
        });
        await started.Task.WaitAsync(Hang);

        time.Advance(TimeSpan.FromSeconds(15));

        await cancelled.Task.WaitAsync(Hang);
        Assert.Equal("decode_cost", (await Assert.ThrowsAsync<DomainException>(() => run.WaitAsync(Hang))).Extensions["reason"]);
    }

    [Fact]
    public async Task once_the_file_is_decoded_the_deadline_no_longer_applies()
    {
        using var queue = new DecodeQueue(new ImageOptions { MaxConcurrentDecodes = 1, DecodeDeadline = TimeSpan.FromSeconds(15) }, time);
        var rendering = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = queue.RunAsync(async turn =>
        {
            turn.Decoded();
            rendering.SetResult();
            await gate.Task;
            return 3;
        });
        await rendering.Task.WaitAsync(Hang);

        time.Advance(TimeSpan.FromMinutes(1));
        gate.SetResult();

        Assert.Equal(3, await run.WaitAsync(Hang));
    }

    [Fact]
    public void by_default_decodes_run_one_per_core_and_settings_that_make_no_sense_stop_the_host()
    {
        var defaults = ImageOptions.FromConfiguration(new ConfigurationBuilder().Build());
        Assert.Equal(Environment.ProcessorCount, defaults.MaxConcurrentDecodes);

        var settings = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Images:MaxWaitingUploads"] = "-1" }).Build();
        var error = Assert.Throws<InvalidOperationException>(() => ImageOptions.FromConfiguration(settings));
        Assert.Contains("Images:MaxWaitingUploads", error.Message);
    }
}
