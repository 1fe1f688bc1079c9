using Amazon.Runtime;
using Amazon.S3.Model;

namespace NeXChange.Storage.Tests;

/// <summary>The contract against a real S3-compatible server, in a bucket of this class's own.</summary>
public sealed class S3BlobStoreTests : BlobStoreContract, IDisposable
{
    private readonly S3Options options = S3TestServer.FreshBucket();
    private readonly TimeProvider time = TimeProvider.System;
    private readonly S3BlobStore store;

    protected override IBlobStore Store => store;

    public void Dispose() => store.Dispose();

    private readonly List<AmazonWebServiceRequest> sent = [];

    public S3BlobStoreTests()
    {
        store = new S3BlobStore(options, PublicBase, time);
        store.Client.BeforeRequestEvent += (_, e) =>
        {
            if (e is WebServiceRequestEventArgs request) lock (sent) sent.Add(request.Request);
        };
    }

    protected override Task AssertLargeUploadShapeAsync(string key)
    {
        // 12 MB in 5 MB parts is 3 parts (s3rver's ETag does not tell multipart objects apart, so count the requests).
        lock (sent) Assert.Equal(3, sent.OfType<UploadPartRequest>().Count(r => r.Key == key));
        return Task.CompletedTask;
    }

    [Fact]
    public async Task a_presigned_url_serves_the_object_over_plain_http()
    {
        var key = await PutAsync("private/profiles/u1/abc/master.jpg", [9, 8, 7, 6]);
        var url = await store.SignedUrlAsync(key, TimeSpan.FromHours(1));

        Assert.StartsWith($"{options.ServiceUrl}/{options.Bucket}/{key}?", url);
        // The SDK counts the lifetime from its own clock and rounds it to whole seconds.
        var lifetime = int.Parse(System.Web.HttpUtility.ParseQueryString(new Uri(url).Query)["X-Amz-Expires"]!);
        Assert.InRange(lifetime, 3590, 3610);
        using var http = new HttpClient();
        Assert.Equal([9, 8, 7, 6], await http.GetByteArrayAsync(url));
    }

    [Fact]
    public async Task a_presigned_url_for_a_missing_object_answers_404()
    {
        var url = await store.SignedUrlAsync("private/none.jpg", TimeSpan.FromHours(1));
        using var http = new HttpClient();
        using var response = await http.GetAsync(url);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public void the_s3_store_leaves_media_url_signatures_to_s3() =>
        Assert.False(store.VerifySignature("private/x.jpg", time.GetUtcNow().AddHours(1).ToUnixTimeSeconds(), new string('0', 64)));
}
