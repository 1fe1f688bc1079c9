using Microsoft.Extensions.Time.Testing;
using NeXChange.Images;

namespace NeXChange.Storage.Tests;

public sealed class PhotoStoreTests : IDisposable
{
    private const string PublicBase = "https://cdn.nexchange.test";
    private readonly string root = Path.Combine(Path.GetTempPath(), "nexchange-photos-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly PhotoPipeline pipeline = TestPipelines.Create();
    private readonly FileSystemBlobStore blobs;
    private readonly PhotoStore photos;

    public PhotoStoreTests()
    {
        blobs = new FileSystemBlobStore(root, PublicBase, new MediaUrlSigner("a-test-signing-key-of-at-least-32-characters", time));
        photos = new PhotoStore(pipeline, blobs);
    }

    public void Dispose()
    {
        pipeline.Dispose();
        Directory.Delete(root, recursive: true);
    }

    private async Task<List<string>> KeysAsync(string prefix)
    {
        var keys = new List<string>();
        await foreach (var blob in blobs.ListAsync(prefix)) keys.Add(blob.Key);
        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    [Fact]
    public async Task an_item_photo_is_stored_as_seven_blobs_under_items_and_its_sha256()
    {
        var photo = await photos.StoreItemPhotoAsync(TestImages.Jpeg(1000, 700));

        Assert.Matches("^[0-9a-f]{64}$", photo.Sha256);
        Assert.Equal((1000, 700), (photo.Width, photo.Height));
        Assert.Equal(
            new[] { "master.jpg", "thumb.jpg", "thumb.webp", "w400.jpg", "w400.webp", "w800.jpg", "w800.webp" }
                .Select(f => $"items/{photo.Sha256}/{f}").Order(StringComparer.Ordinal),
            await KeysAsync("items/"));
        await using var master = await blobs.GetAsync(photo.KeyOf(PhotoVariants.Master, PhotoFormat.Jpeg));
        Assert.Equal(ContentTypes.Jpeg, master!.ContentType);
    }

    [Fact]
    public async Task the_same_image_uploaded_twice_shares_its_blobs_and_is_not_written_again()
    {
        var upload = TestImages.Png(500, 500);
        var first = await photos.StoreItemPhotoAsync(upload);
        var written = await KeysAsync("items/");
        // Marks every stored blob: a second write of any of them would replace its mark with the variant's bytes.
        byte[] mark = [0x6d, 0x61, 0x72, 0x6b];
        foreach (var key in written) await File.WriteAllBytesAsync(Path.Combine(root, key), mark);

        var second = await photos.StoreItemPhotoAsync(upload);

        Assert.Equal(first, second);
        Assert.Equal(written, await KeysAsync("items/"));
        Assert.All(written, k => Assert.Equal(mark, File.ReadAllBytes(Path.Combine(root, k))));
    }

    [Fact]
    public async Task a_profile_photo_is_private_under_the_users_folder()
    {
        var user = Guid.NewGuid();
        var photo = await photos.StoreProfilePhotoAsync(user, TestImages.Jpeg(300, 300));

        Assert.Equal($"private/profiles/{user:N}/{photo.Sha256}", photo.KeyPrefix);
        Assert.Equal(7, (await KeysAsync($"private/profiles/{user:N}/")).Count);
        Assert.Empty(await KeysAsync("items/"));
    }

    [Fact]
    public async Task public_urls_name_every_variant_and_webp_has_no_master()
    {
        var photo = await photos.StoreItemPhotoAsync(TestImages.Jpeg(300, 200));
        var links = photos.PublicUrls(photo);
        var media = $"{PublicBase}/media/items/{photo.Sha256}";
        Assert.Equal(new NeXChange.Items.PhotoUrls($"{media}/thumb.jpg", $"{media}/w400.jpg", $"{media}/w800.jpg", $"{media}/master.jpg"), links.Urls);
        Assert.Equal(new NeXChange.Items.WebpUrls($"{media}/thumb.webp", $"{media}/w400.webp", $"{media}/w800.webp"), links.WebpUrls);
    }

    [Fact]
    public async Task private_urls_are_signed_for_one_hour()
    {
        var photo = await photos.StoreProfilePhotoAsync(Guid.NewGuid(), TestImages.Jpeg(300, 200));
        var url = new Uri((await photos.SignedUrlsAsync(photo)).Urls.Thumb);
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        var key = photo.KeyOf(PhotoVariants.Thumb, PhotoFormat.Jpeg);

        Assert.Equal($"{PublicBase}/media/{key}", url.GetLeftPart(UriPartial.Path));
        Assert.Equal(time.GetUtcNow().AddHours(1).ToUnixTimeSeconds(), long.Parse(query["expires"]!));
        Assert.True(blobs.VerifySignature(key, long.Parse(query["expires"]!), query["sig"]!));
    }

    [Fact]
    public async Task deleting_a_photo_removes_all_its_blobs()
    {
        var photo = await photos.StoreItemPhotoAsync(TestImages.WebP(640, 480));
        await photos.DeleteAsync(photo);
        Assert.Empty(await KeysAsync("items/"));
    }
}
