using System.Net;
using NeXChange.TestSupport;

namespace NeXChange.Api.Tests;

/// <summary>The API with a blob store that cannot be reached (nothing listens on the discard port).</summary>
public sealed class UnreachableBlobStoreFixture : ApiFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:Mode"] = "S3",
        ["Storage:S3:ServiceUrl"] = "http://127.0.0.1:9",
        ["Storage:S3:Bucket"] = "unreachable",
        ["Storage:S3:AccessKey"] = TestSecrets.New(),
        ["Storage:S3:SecretKey"] = TestSecrets.New(),
        ["Storage:S3:ForcePathStyle"] = "true",
    };
}

/// <summary>/health/ready is public: it shows each check's status and nothing of why a check failed.</summary>
public sealed class ReadinessDetailTests(UnreachableBlobStoreFixture api) : IClassFixture<UnreachableBlobStoreFixture>
{
    [Fact]
    public async Task a_failing_check_shows_its_status_and_no_exception_text()
    {
        using var client = api.NewClient();
        var response = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Json();
        Assert.Equal(["checks", "status"], body.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        var checks = body.GetProperty("checks");
        Assert.Equal("Degraded", checks.GetProperty("blobs").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("postgres").GetProperty("status").GetString());
        foreach (var check in checks.EnumerateObject())
            Assert.Equal(["status"], check.Value.EnumerateObject().Select(p => p.Name));
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("127.0.0.1", text, StringComparison.Ordinal);
    }
}
