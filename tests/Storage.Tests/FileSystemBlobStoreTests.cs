using Microsoft.Extensions.Time.Testing;

namespace NeXChange.Storage.Tests;

public sealed class FileSystemBlobStoreTests : BlobStoreContract, IDisposable
{
    // Drawn per run: no key is written in the code.
    private static readonly string SigningKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(48));
    private readonly string root = Path.Combine(Path.GetTempPath(), "nexchange-blobs-" + Guid.NewGuid().ToString("N"));
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly FileSystemBlobStore store;

    public FileSystemBlobStoreTests() => store = new FileSystemBlobStore(root, PublicBase, new MediaUrlSigner(SigningKey, time));

    protected override IBlobStore Store => store;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private async Task<(string Key, long Expires, string Sig)> SignedAsync(string key, TimeSpan lifetime)
    {
        var url = new Uri(await store.SignedUrlAsync(key, lifetime));
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        Assert.Equal($"{PublicBase}/media/{key}", url.GetLeftPart(UriPartial.Path));
        return (key, long.Parse(query["expires"]!), query["sig"]!);
    }

    [Fact]
    public async Task a_signed_url_verifies_until_it_expires_and_not_after()
    {
        var (key, expires, sig) = await SignedAsync("private/profiles/u1/abc/thumb.jpg", TimeSpan.FromHours(1));
        Assert.Equal(time.GetUtcNow().AddHours(1).ToUnixTimeSeconds(), expires);
        Assert.Matches("^[0-9a-f]{64}$", sig);
        Assert.True(store.VerifySignature(key, expires, sig));

        time.Advance(TimeSpan.FromMinutes(60));
        Assert.True(store.VerifySignature(key, expires, sig));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(store.VerifySignature(key, expires, sig));
    }

    [Fact]
    public async Task a_signed_url_with_a_changed_key_expiry_or_signature_does_not_verify()
    {
        var (key, expires, sig) = await SignedAsync("private/profiles/u1/abc/thumb.jpg", TimeSpan.FromHours(1));
        Assert.False(store.VerifySignature("private/profiles/u2/abc/thumb.jpg", expires, sig));
        Assert.False(store.VerifySignature(key, expires + 3600, sig));
        Assert.False(store.VerifySignature(key, expires, (sig[0] == '0' ? "1" : "0") + sig[1..]));
        Assert.False(store.VerifySignature(key, expires, sig.ToUpperInvariant() + "00"));
        Assert.False(store.VerifySignature(key, expires, "not-hex"));
        Assert.False(store.VerifySignature(key, expires, ""));
    }

    [Fact]
    public async Task a_signature_made_with_another_signing_key_does_not_verify()
    {
        var other = new FileSystemBlobStore(root, PublicBase, new MediaUrlSigner(SigningKey + "-other", time));
        var url = new Uri(await other.SignedUrlAsync("private/x.jpg", TimeSpan.FromHours(1)));
        var query = System.Web.HttpUtility.ParseQueryString(url.Query);
        Assert.False(store.VerifySignature("private/x.jpg", long.Parse(query["expires"]!), query["sig"]!));
    }

    [Fact]
    public async Task a_hostile_key_never_verifies_even_with_a_matching_hmac()
    {
        var signer = new MediaUrlSigner(SigningKey, time);
        var expires = time.GetUtcNow().AddHours(1).ToUnixTimeSeconds();
        Assert.False(store.VerifySignature("../secrets/x", expires, signer.Signature("../secrets/x", expires)));
        await Task.CompletedTask;
    }

    [Fact]
    public async Task objects_are_files_under_the_root_and_no_temp_file_is_left_behind()
    {
        await PutAsync("items/abc/master.jpg", [1, 2, 3]);
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(Path.Combine(root, "items", "abc", "master.jpg")));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(root, ".tmp")));
    }
}
