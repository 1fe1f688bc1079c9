using Microsoft.Extensions.Time.Testing;

namespace NeXChange.Storage.Tests;

public sealed class BlobJanitorTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "nexchange-janitor-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly FileSystemBlobStore blobs;

    public BlobJanitorTests() =>
        blobs = new FileSystemBlobStore(root, "https://x.test", new MediaUrlSigner("a-test-signing-key-of-at-least-32-characters", time));

    public void Dispose() => Directory.Delete(root, recursive: true);

    private async Task PutAsync(string key, TimeSpan age)
    {
        using var content = new MemoryStream([1, 2, 3]);
        await blobs.PutAsync(key, content, ContentTypes.Jpeg);
        File.SetLastWriteTimeUtc(Path.Combine(root, key), (time.GetUtcNow() - age).UtcDateTime);
    }

    [Fact]
    public async Task only_unreferenced_blobs_older_than_the_grace_period_under_the_prefix_are_deleted()
    {
        await PutAsync("items/old-orphan/master.jpg", TimeSpan.FromHours(25));
        await PutAsync("items/old-kept/master.jpg", TimeSpan.FromHours(25));
        await PutAsync("items/young-orphan/master.jpg", TimeSpan.FromHours(23));
        await PutAsync("private/profiles/u/old/master.jpg", TimeSpan.FromDays(3));
        var asked = new List<string>();

        var deleted = await new BlobJanitor(blobs, time).DeleteOrphansAsync("items/", key =>
        {
            asked.Add(key);
            return Task.FromResult(key.StartsWith("items/old-kept/", StringComparison.Ordinal));
        }, BlobJanitor.DefaultGrace);

        Assert.Equal(1, deleted);
        Assert.False(await blobs.ExistsAsync("items/old-orphan/master.jpg"));
        Assert.True(await blobs.ExistsAsync("items/old-kept/master.jpg"));
        Assert.True(await blobs.ExistsAsync("items/young-orphan/master.jpg"));
        Assert.True(await blobs.ExistsAsync("private/profiles/u/old/master.jpg"));
        Assert.DoesNotContain("items/young-orphan/master.jpg", asked); // young blobs are not even looked up
    }
}
