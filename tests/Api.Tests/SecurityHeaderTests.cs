using System.Net;
using System.Text;

namespace NeXChange.Api.Tests;

/// <summary>Every answer forbids MIME sniffing; the HTML pages forbid being framed.</summary>
public sealed class SecurityHeaderTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static void AssertNoSniff(HttpResponseMessage response) =>
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());

    private static void AssertNotFramable(HttpResponseMessage response) =>
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

    [Fact]
    public async Task every_answer_forbids_mime_sniffing_errors_and_media_included()
    {
        // A stored blob, as the photo pipeline would leave it in the filesystem store.
        var key = $"items/{Guid.NewGuid():N}/thumb.jpg";
        var path = Path.Combine(api.DataDir, "blobs", key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, TestImages.Jpeg(16, 16));

        using var client = api.NewClient();
        var answers = new List<HttpResponseMessage>
        {
            await client.GetAsync("/api/v1/categories"),
            await client.GetAsync("/api/v1/me"),
            await client.GetAsync("/api/v1/no-such-thing"),
            await client.PostAsync("/api/v1/auth/login", new StringContent("{\"email\":", Encoding.UTF8, "application/json")),
            await client.GetAsync($"/media/{key}"),
            await client.GetAsync("/media/items/none/thumb.jpg"),
            await client.GetAsync("/health/live"),
            await client.GetAsync("/openapi/v1.json"),
        };
        Assert.Equal(
            [HttpStatusCode.OK, HttpStatusCode.Unauthorized, HttpStatusCode.NotFound, HttpStatusCode.BadRequest,
             HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.OK, HttpStatusCode.OK],
            answers.Select(a => a.StatusCode));
        Assert.Equal("image/jpeg", answers[4].Content.Headers.ContentType?.MediaType);
        foreach (var answer in answers) AssertNoSniff(answer);
    }

    [Fact]
    public async Task the_docs_and_the_dashboard_cannot_be_framed()
    {
        using var anonymous = api.NewClient();
        var docs = await anonymous.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Equal("text/html", docs.Content.Headers.ContentType?.MediaType);
        AssertNotFramable(docs);
        AssertNoSniff(docs);
        AssertNotFramable(await anonymous.GetAsync("/dashboard"));

        using var admin = api.ClientFor(await api.Admin());
        var dashboard = await admin.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        AssertNotFramable(dashboard);
        AssertNoSniff(dashboard);
    }
}
