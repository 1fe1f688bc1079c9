using System.Security.Cryptography;
using System.Text;

namespace NeXChange.Storage.Tests;

/// <summary>The behaviour every <see cref="IBlobStore"/> adapter must share; one subclass per adapter.</summary>
public abstract class BlobStoreContract
{
    protected const string PublicBase = "https://cdn.nexchange.test";

    protected abstract IBlobStore Store { get; }

    private static string NewPrefix() => $"contract/{Guid.NewGuid():N}";

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        return bytes;
    }

    protected async Task<string> PutAsync(string key, byte[] bytes, string contentType = ContentTypes.Jpeg)
    {
        using var content = new MemoryStream(bytes);
        await Store.PutAsync(key, content, contentType);
        return key;
    }

    protected async Task<byte[]?> ReadAsync(string key)
    {
        await using var blob = await Store.GetAsync(key);
        if (blob is null) return null;
        using var copy = new MemoryStream();
        await blob.Content.CopyToAsync(copy);
        return copy.ToArray();
    }

    [Fact]
    public async Task an_object_reads_back_byte_for_byte_with_its_content_type_and_length()
    {
        var bytes = RandomBytes(70_000);
        var key = await PutAsync($"{NewPrefix()}/photo.jpg", bytes);

        await using var blob = await Store.GetAsync(key);
        Assert.NotNull(blob);
        Assert.Equal(ContentTypes.Jpeg, blob.ContentType);
        Assert.Equal(bytes.Length, blob.Length);
        using var copy = new MemoryStream();
        await blob.Content.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task a_12_mb_object_reads_back_byte_for_byte()
    {
        var bytes = RandomBytes(12 * 1024 * 1024 + 123);
        var key = await PutAsync($"{NewPrefix()}/big.webp", bytes, ContentTypes.WebP);

        var read = await ReadAsync(key);
        Assert.NotNull(read);
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(read));
        await AssertLargeUploadShapeAsync(key);
    }

    /// <summary>Adapter-specific evidence of how a large object went up (S3: multipart).</summary>
    protected virtual Task AssertLargeUploadShapeAsync(string key) => Task.CompletedTask;

    [Fact]
    public async Task a_non_seekable_stream_is_stored_whole()
    {
        var bytes = RandomBytes(9_000);
        var key = $"{NewPrefix()}/stream.png";
        await using (var pipe = new NonSeekableStream(bytes)) await Store.PutAsync(key, pipe, ContentTypes.Png);
        Assert.Equal(bytes, await ReadAsync(key));
    }

    [Fact]
    public async Task putting_a_key_again_replaces_the_object()
    {
        var key = await PutAsync($"{NewPrefix()}/doc.pdf", Encoding.ASCII.GetBytes("first"), ContentTypes.Pdf);
        await PutAsync(key, Encoding.ASCII.GetBytes("second"), ContentTypes.Pdf);
        Assert.Equal("second"u8.ToArray(), await ReadAsync(key));
    }

    [Fact]
    public async Task a_missing_object_is_null_and_does_not_exist()
    {
        var key = $"{NewPrefix()}/missing.jpg";
        Assert.Null(await Store.GetAsync(key));
        Assert.False(await Store.ExistsAsync(key));
    }

    [Fact]
    public async Task exists_is_true_after_put_and_false_after_delete()
    {
        var key = await PutAsync($"{NewPrefix()}/a.jpg", RandomBytes(10));
        Assert.True(await Store.ExistsAsync(key));
        await Store.DeleteAsync(key);
        Assert.False(await Store.ExistsAsync(key));
        Assert.Null(await Store.GetAsync(key));
    }

    [Fact]
    public async Task deleting_twice_or_deleting_a_missing_key_is_not_an_error()
    {
        var key = await PutAsync($"{NewPrefix()}/a.jpg", RandomBytes(10));
        await Store.DeleteAsync(key);
        await Store.DeleteAsync(key);
        await Store.DeleteAsync($"{NewPrefix()}/never.jpg");
        Assert.False(await Store.ExistsAsync(key));
    }

    [Fact]
    public async Task list_returns_exactly_the_keys_under_the_prefix_with_their_sizes()
    {
        var prefix = NewPrefix();
        var writing = DateTimeOffset.UtcNow;
        await PutAsync($"{prefix}/one/thumb.jpg", RandomBytes(11));
        await PutAsync($"{prefix}/one/master.jpg", RandomBytes(22));
        await PutAsync($"{prefix}/two/thumb.jpg", RandomBytes(33));
        await PutAsync($"{prefix}-sibling/thumb.jpg", RandomBytes(44));

        var all = await ListAsync($"{prefix}/");
        Assert.Equal(
            [($"{prefix}/one/master.jpg", 22L), ($"{prefix}/one/thumb.jpg", 11L), ($"{prefix}/two/thumb.jpg", 33L)],
            all.Select(b => (b.Key, b.Size)).OrderBy(b => b.Key, StringComparer.Ordinal));
        // Stamped when written, on this machine's clock; S3 keeps whole seconds, hence the second either side.
        var listed = DateTimeOffset.UtcNow;
        Assert.All(all, b => Assert.InRange(b.LastModified, writing.AddSeconds(-1), listed.AddSeconds(1)));

        // A plain string prefix, as S3 has it: "one/th" matches "one/thumb.jpg" only.
        Assert.Equal([$"{prefix}/one/thumb.jpg"], (await ListAsync($"{prefix}/one/th")).Select(b => b.Key));
        Assert.Empty(await ListAsync($"{prefix}/nothing/"));
    }

    private async Task<List<BlobInfo>> ListAsync(string prefix)
    {
        var list = new List<BlobInfo>();
        await foreach (var blob in Store.ListAsync(prefix)) list.Add(blob);
        return list;
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("a/../../x")]
    [InlineData("/etc/passwd")]
    [InlineData("a\\b")]
    [InlineData("")]
    [InlineData("a//b")]
    [InlineData("a/./b")]
    [InlineData(".hidden")]
    [InlineData("a/")]
    [InlineData("C:/x")]
    [InlineData("a b")]
    [InlineData("ä.jpg")]
    [InlineData("a\0b")]
    public async Task a_hostile_key_is_refused_before_any_io(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => PutAsync(key, [1, 2, 3]));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.GetAsync(key));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.ExistsAsync(key));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.DeleteAsync(key));
        Assert.Throws<ArgumentException>(() => Store.PublicUrl(key));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.SignedUrlAsync(key, TimeSpan.FromHours(1)));
    }

    [Theory]
    [InlineData("../")]
    [InlineData("/")]
    [InlineData("/etc")]
    [InlineData("a\\")]
    public async Task a_hostile_list_prefix_is_refused(string prefix) =>
        await Assert.ThrowsAsync<ArgumentException>(async () => await ListAsync(prefix));

    [Fact]
    public void the_public_url_is_the_public_base_then_media_then_the_key() =>
        Assert.Equal($"{PublicBase}/media/items/abc/thumb.jpg", Store.PublicUrl("items/abc/thumb.jpg"));

    /// <summary>A stream that cannot tell its length, like a request body.</summary>
    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => base.Position; set => throw new NotSupportedException(); }
    }
}
