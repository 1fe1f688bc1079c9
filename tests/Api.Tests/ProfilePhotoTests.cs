using System.Net;
using System.Text;

namespace NeXChange.Api.Tests;

/// <summary>The private profile photo (SPEC.md 3.7): stored privately, never served publicly.</summary>
public sealed class ProfilePhotoTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static MultipartFormDataContent Form(byte[] bytes) => new() { { new ByteArrayContent(bytes), "file", "me.jpg" } };

    private string ProfileFolder(Guid userId) => Path.Combine(api.DataDir, "blobs", "private", "profiles", userId.ToString("N"));

    /// <summary>The photo folders that still hold blobs (a filesystem store may leave empty folders behind).</summary>
    private string[] StoredPhotos(Guid userId) =>
        Directory.GetDirectories(ProfileFolder(userId)).Where(d => Directory.EnumerateFiles(d).Any()).ToArray();

    [Fact]
    public async Task a_profile_photo_is_stored_privately_replaced_and_removed()
    {
        var user = await api.RegisterVerified();
        using var client = api.ClientFor(user);

        var set = await client.PutAsync("/api/v1/me/photo", Form(TestImages.Jpeg(600, 600, withGps: true)));
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        Assert.True((await set.Json()).GetProperty("hasPhoto").GetBoolean());
        Assert.True((await (await client.GetAsync("/api/v1/me")).Json()).GetProperty("hasPhoto").GetBoolean());
        var first = Assert.Single(StoredPhotos(user.Id));
        Assert.Equal(7, Directory.GetFiles(first).Length);
        var master = Path.GetRelativePath(Path.Combine(api.DataDir, "blobs"), Path.Combine(first, "master.jpg")).Replace('\\', '/');

        using var anonymous = api.NewClient();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/media/{master}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/media/{master["private/".Length..]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/media/{master}?expires=9999999999&sig=00")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/media/private/{master["private/".Length..]}?expires=9999999999&sig=00")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await client.PutAsync("/api/v1/me/photo", Form(TestImages.Png(300, 300)))).StatusCode);
        Assert.NotEqual(first, Assert.Single(StoredPhotos(user.Id)));

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/api/v1/me/photo")).StatusCode);
        Assert.False((await (await client.GetAsync("/api/v1/me")).Json()).GetProperty("hasPhoto").GetBoolean());
        Assert.Empty(Directory.EnumerateFiles(ProfileFolder(user.Id), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task a_hostile_profile_photo_is_refused_and_keeps_the_old_one()
    {
        var user = await api.RegisterVerified();
        using var client = api.ClientFor(user);
        await client.PutAsync("/api/v1/me/photo", Form(TestImages.Jpeg()));
        var refused = await client.PutAsync("/api/v1/me/photo", Form(Encoding.UTF8.GetBytes("%PDF-1.7 not an image")));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        Assert.Equal("unsupported_media_type", (await refused.Json()).GetProperty("code").GetString());
        Assert.True((await (await client.GetAsync("/api/v1/me")).Json()).GetProperty("hasPhoto").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PutAsync("/api/v1/me/photo", new MultipartFormDataContent())).StatusCode);
    }
}
