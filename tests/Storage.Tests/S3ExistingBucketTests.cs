namespace NeXChange.Storage.Tests;

/// <summary>
/// Regression: a store opened on a bucket that already exists (the API host after the silo created it) failed every
/// call, because its existence check read the bucket's ACL, which the S3 test server does not implement.
/// </summary>
public sealed class S3ExistingBucketTests
{
    [Fact]
    public async Task a_store_opened_on_an_existing_bucket_reads_what_another_store_wrote()
    {
        var options = S3TestServer.FreshBucket();
        using var creator = new S3BlobStore(options, "https://cdn.nexchange.test", TimeProvider.System);
        using var later = new S3BlobStore(options, "https://cdn.nexchange.test", TimeProvider.System);
        await creator.PutAsync("items/abc/master.jpg", new MemoryStream([1, 2, 3]), ContentTypes.Jpeg);

        await using var blob = await later.GetAsync("items/abc/master.jpg");

        using var copy = new MemoryStream();
        await blob!.Content.CopyToAsync(copy);
        Assert.Equal([1, 2, 3], copy.ToArray());
    }
}
