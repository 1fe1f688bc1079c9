using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;

namespace NeXChange.Storage;

/// <summary>
/// The blob store on any S3-compatible endpoint. Objects above 5 MB go up in 5 MB multipart parts so a failed part
/// is retried alone. The bucket is created on first use when <c>Storage:S3:CreateBucket</c> allows it.
/// </summary>
public sealed class S3BlobStore : IBlobStore, IDisposable
{
    public const long PartSize = 5L * 1024 * 1024;

    private readonly AmazonS3Client client;

    /// <summary>For tests that observe the requests sent (e.g. that a large object goes up in parts).</summary>
    internal AmazonS3Client Client => client;
    private readonly TransferUtility transfer;
    private readonly S3Options options;
    private readonly string publicBaseUrl;
    private readonly TimeProvider time;
    private readonly SemaphoreSlim bucketGate = new(1, 1);
    private volatile bool bucketReady;

    public S3BlobStore(S3Options options, string publicBaseUrl, TimeProvider time)
    {
        this.options = options;
        this.publicBaseUrl = publicBaseUrl.TrimEnd('/');
        this.time = time;
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            // The default (WHEN_SUPPORTED) sends aws-chunked bodies with trailing checksums, which S3-compatible
            // servers (e.g. the tests' s3rver) store verbatim as the object's bytes; AWS itself accepts both.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (options.ServiceUrl is not null)
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        }
        client = options.AccessKey is not null && options.SecretKey is not null
            ? new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config)
            : new AmazonS3Client(config);
        transfer = new TransferUtility(client, new TransferUtilityConfig { MinSizeBeforePartUpload = PartSize });
    }

    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken = default)
    {
        BlobKey.Check(key);
        await EnsureBucketAsync(cancellationToken);
        // The SDK needs the length up front (Content-Length, part count); buffer a stream that cannot tell it.
        var body = content;
        if (!content.CanSeek)
        {
            body = new MemoryStream();
            await content.CopyToAsync(body, cancellationToken);
            body.Position = 0;
        }
        try
        {
            if (body.Length - body.Position > PartSize)
                await transfer.UploadAsync(new TransferUtilityUploadRequest
                {
                    BucketName = options.Bucket, Key = key, InputStream = body, ContentType = contentType,
                    PartSize = PartSize, AutoCloseStream = false,
                }, cancellationToken);
            else
                await client.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = options.Bucket, Key = key, InputStream = body, ContentType = contentType, AutoCloseStream = false,
                }, cancellationToken);
        }
        finally
        {
            if (!ReferenceEquals(body, content)) await body.DisposeAsync();
        }
    }

    public async Task<BlobObject?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        BlobKey.Check(key);
        await EnsureBucketAsync(cancellationToken);
        try
        {
            var response = await client.GetObjectAsync(options.Bucket, key, cancellationToken);
            return new BlobObject(response.ResponseStream, response.Headers.ContentType ?? ContentTypes.Binary, response.ContentLength);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
    {
        BlobKey.Check(key);
        await EnsureBucketAsync(cancellationToken);
        try
        {
            await client.GetObjectMetadataAsync(options.Bucket, key, cancellationToken);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        BlobKey.Check(key);
        await EnsureBucketAsync(cancellationToken);
        await client.DeleteObjectAsync(options.Bucket, key, cancellationToken); // S3 answers 204 for a missing key too
    }

    public async IAsyncEnumerable<BlobInfo> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        BlobKey.CheckPrefix(prefix);
        await EnsureBucketAsync(cancellationToken);
        var request = new ListObjectsV2Request { BucketName = options.Bucket, Prefix = prefix };
        while (true)
        {
            var page = await client.ListObjectsV2Async(request, cancellationToken);
            // S3Objects is null, not empty, when nothing matches.
            foreach (var o in page.S3Objects ?? [])
                yield return new BlobInfo(o.Key, o.Size ?? 0, new DateTimeOffset(o.LastModified ?? default, TimeSpan.Zero));
            if (page.IsTruncated != true) yield break;
            request.ContinuationToken = page.NextContinuationToken;
        }
    }

    public string PublicUrl(string key) => $"{publicBaseUrl}/media/{BlobKey.Check(key)}";

    public Task<string> SignedUrlAsync(string key, TimeSpan lifetime) =>
        client.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = options.Bucket,
            Key = BlobKey.Check(key),
            Verb = HttpVerb.GET,
            Expires = time.GetUtcNow().Add(lifetime).UtcDateTime,
            // The SDK signs https URLs unless told otherwise, which an http endpoint cannot serve.
            Protocol = options.ServiceUrl?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS,
        });

    public bool VerifySignature(string key, long expires, string signature) => false;

    public void Dispose()
    {
        transfer.Dispose();
        client.Dispose();
        bucketGate.Dispose();
    }

    private async Task EnsureBucketAsync(CancellationToken cancellationToken)
    {
        if (bucketReady || !options.CreateBucket) return;
        await bucketGate.WaitAsync(cancellationToken);
        try
        {
            if (bucketReady) return;
            // A HEAD, not the SDK's DoesS3BucketExistV2: that reads the bucket's ACL, which S3-compatible servers may
            // not implement (s3rver answers 501) and a least-privilege policy need not allow.
            try
            {
                await client.HeadBucketAsync(new HeadBucketRequest { BucketName = options.Bucket }, cancellationToken);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                await client.PutBucketAsync(new PutBucketRequest { BucketName = options.Bucket }, cancellationToken);
            }
            bucketReady = true;
        }
        finally
        {
            bucketGate.Release();
        }
    }
}
