using NeXChange.Storage;

namespace NeXChange.Storage.Tests;

/// <summary>The S3-compatible server deploy/test.sh starts (start_s3 in deploy/lib.sh) and exports.</summary>
public static class S3TestServer
{
    public static string Url =>
        Environment.GetEnvironmentVariable("NEXCHANGE_TEST_S3_URL")
        ?? throw new InvalidOperationException("NEXCHANGE_TEST_S3_URL is not set: run the tests through ./deploy/test.sh");

    /// <summary>Options for a bucket no other test class uses; the store creates it on first use.</summary>
    public static S3Options FreshBucket() =>
        new(Url, "us-east-1", $"test-{Guid.NewGuid():N}", "S3RVER", "S3RVER", ForcePathStyle: true, CreateBucket: true);
}
