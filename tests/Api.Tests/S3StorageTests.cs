using System.Net;
using System.Net.Http.Json;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.DependencyInjection;
using NeXChange.Storage;
using NeXChange.Storage.Tests;
using SixLabors.ImageSharp;

namespace NeXChange.Api.Tests;

/// <summary>The whole system with <c>Storage:Mode=S3</c> (README, configuration) on the S3 test server, in a bucket of its own.</summary>
public sealed class S3ApiFixture : ApiFixture
{
    public S3Options Bucket { get; } = S3TestServer.FreshBucket();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:Mode"] = "S3",
        ["Storage:S3:ServiceUrl"] = Bucket.ServiceUrl,
        ["Storage:S3:Region"] = Bucket.Region,
        ["Storage:S3:Bucket"] = Bucket.Bucket,
        ["Storage:S3:AccessKey"] = Bucket.AccessKey,
        ["Storage:S3:SecretKey"] = Bucket.SecretKey,
        ["Storage:S3:ForcePathStyle"] = "true",
        ["Storage:S3:CreateBucket"] = "true",
    };
}

/// <summary>
/// Photos through the API land in the bucket and come back from it: item photos under /media, a private photo only
/// through a presigned S3 URL. The bucket is read with an S3 client of the test's own, not through the adapter.
/// </summary>
public sealed class S3StorageTests(S3ApiFixture api) : IClassFixture<S3ApiFixture>, IDisposable
{
    private static readonly string[] Variants = ["master.jpg", "thumb.jpg", "thumb.webp", "w400.jpg", "w400.webp", "w800.jpg", "w800.webp"];

    private readonly AmazonS3Client s3 = new(new BasicAWSCredentials(api.Bucket.AccessKey, api.Bucket.SecretKey),
        new AmazonS3Config { ServiceURL = api.Bucket.ServiceUrl, ForcePathStyle = true, AuthenticationRegion = api.Bucket.Region });

    public void Dispose() => s3.Dispose();

    /// <summary>SPEC.md 3.10's delete with the bucket as the blob store: nothing of the user is left in it either.</summary>
    [Fact]
    public Task a_deleted_accounts_photos_documents_and_archives_leave_the_bucket() =>
        Privacy.DataRequestSteps.DeleteErasesPersonalDataEverywhere(api);

    private async Task<List<string>> KeysAsync(string prefix)
    {
        var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = api.Bucket.Bucket, Prefix = prefix });
        return (page.S3Objects ?? []).Select(o => o.Key).Order(StringComparer.Ordinal).ToList();
    }

    private static async Task<(int Width, int Height)> SizeOf(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var image = Image.Load(await response.Content.ReadAsByteArrayAsync());
        return (image.Width, image.Height);
    }

    [Fact]
    public async Task an_item_photo_is_stored_in_the_bucket_in_every_variant_and_served_under_media()
    {
        using var owner = api.ClientFor(await api.RegisterVerified());
        var created = await owner.PostAsJsonAsync("/api/v1/items", new
        {
            title = "Folding bike, 20 inch wheels",
            description = "Folds in ten seconds, fits a car boot, new chain and tyres this spring, kept in a dry hallway.",
            categoryId = await api.CategoryId("Bicycles"),
            condition = "good",
            priceMinor = 18_000,
        });
        var itemId = (await created.Json()).GetProperty("id").GetGuid();
        using var form = new MultipartFormDataContent { { new ByteArrayContent(TestImages.Jpeg(1200, 900)), "file", "bike.jpg" } };

        var uploaded = await owner.PostAsync($"/api/v1/items/{itemId}/photos", form);

        Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        var photo = await uploaded.Json();
        var master = new Uri(photo.GetProperty("urls").GetProperty("master").GetString()!).AbsolutePath;
        var folder = master["/media/".Length..^"master.jpg".Length];
        Assert.Matches("^items/[0-9a-f]{64}/$", folder);
        Assert.Equal(Variants.Select(v => folder + v), await KeysAsync(folder));
        Assert.False(Directory.Exists(Path.Combine(api.DataDir, "blobs")), "nothing goes to the filesystem store");

        using var anonymous = api.NewClient();
        foreach (var (variant, size) in new[] { ("thumb", (150, 150)), ("w400", (400, 300)), ("w800", (800, 600)), ("master", (1200, 900)) })
        {
            var response = await anonymous.GetAsync(new Uri(photo.GetProperty("urls").GetProperty(variant).GetString()!).AbsolutePath);
            Assert.Equal(size, await SizeOf(response));
            Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        }
        var webp = await anonymous.GetAsync(new Uri(photo.GetProperty("webpUrls").GetProperty("w800").GetString()!).AbsolutePath);
        Assert.Equal((800, 600), await SizeOf(webp));
        Assert.Equal("image/webp", webp.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task a_profile_photo_is_kept_in_the_bucket_and_read_only_through_a_presigned_url()
    {
        var user = await api.RegisterVerified();
        using var client = api.ClientFor(user);
        using var form = new MultipartFormDataContent { { new ByteArrayContent(TestImages.Jpeg(600, 600)), "file", "me.jpg" } };
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync("/api/v1/me/photo", form)).StatusCode);

        var prefix = $"private/profiles/{user.Id:N}/";
        var keys = await KeysAsync(prefix);
        Assert.Equal(Variants.Length, keys.Count);
        var master = Assert.Single(keys, k => k.EndsWith("/master.jpg", StringComparison.Ordinal));

        // The API serves no private object in S3 mode: it has no signature of its own to check.
        using var anonymous = api.NewClient();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/media/{master}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/media/{master}?expires=9999999999&sig=00")).StatusCode);

        var blobs = api.SiloServices.GetRequiredService<IBlobStore>();
        var url = new Uri(await blobs.SignedUrlAsync(master, TimeSpan.FromHours(1)));
        Assert.Equal($"{api.Bucket.ServiceUrl}/{api.Bucket.Bucket}/{master}", url.GetLeftPart(UriPartial.Path));
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        Assert.Equal("AWS4-HMAC-SHA256", query["X-Amz-Algorithm"]);
        Assert.Matches("^[0-9a-f]{64}$", query["X-Amz-Signature"]);
        using var http = new HttpClient();
        Assert.Equal((600, 600), await SizeOf(await http.GetAsync(url)));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/v1/me/photo")).StatusCode);
        Assert.Empty(await KeysAsync(prefix));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(url)).StatusCode);
    }
}
