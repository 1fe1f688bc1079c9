using System.Net;
using System.Text.Json;

namespace NeXChange.Api.Tests;

public sealed class HealthTests(ApiFixture fixture) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task ready_reports_each_dependency_once_the_cluster_and_postgres_answer()
    {
        using var client = fixture.NewClient();
        var response = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var checks = body.RootElement.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("postgres").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("orleans").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("redis").GetProperty("status").GetString());
        Assert.Equal("Healthy", checks.GetProperty("blobs").GetProperty("status").GetString());
    }

    [Fact]
    public async Task unknown_api_path_answers_problem_json_not_found()
    {
        using var client = fixture.NewClient();
        var response = await client.GetAsync("/api/v1/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("not_found", body.RootElement.GetProperty("code").GetString());
        Assert.Equal("urn:nexchange:problem:not_found", body.RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public async Task openapi_documents_the_transfer_with_its_key_header_result_and_problems()
    {
        using var client = fixture.NewClient();
        using var doc = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var paths = doc.RootElement.GetProperty("paths");
        var transfer = paths.GetProperty("/api/v1/credits/transfers").GetProperty("post");
        Assert.Contains(transfer.GetProperty("parameters").EnumerateArray(),
            p => p.GetProperty("name").GetString() == "Idempotency-Key" && p.GetProperty("required").GetBoolean());
        var responses = transfer.GetProperty("responses");
        Assert.True(responses.TryGetProperty("201", out _));
        Assert.True(responses.GetProperty("422").GetProperty("content").TryGetProperty("application/problem+json", out _));
        Assert.DoesNotContain(paths.EnumerateObject(), p => p.Name.StartsWith("/dashboard", StringComparison.Ordinal));
    }

    [Fact]
    public async Task dashboard_is_for_admins_only()
    {
        using var anonymous = fixture.NewClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/dashboard")).StatusCode);

        using var user = fixture.ClientFor(await fixture.RegisterVerified());
        var refused = await user.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("forbidden", (await refused.Json()).GetProperty("code").GetString());

        using var admin = fixture.ClientFor(await fixture.Admin());
        var page = await admin.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task request_ids_are_echoed_and_become_the_problem_trace_id()
    {
        using var client = fixture.NewClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        request.Headers.Add("X-Request-Id", "client-chosen-id-42");
        var response = await client.SendAsync(request);
        Assert.Equal("client-chosen-id-42", response.Headers.GetValues("X-Request-Id").Single());
        Assert.Equal("client-chosen-id-42", (await response.Json()).GetProperty("traceId").GetString());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }
}
