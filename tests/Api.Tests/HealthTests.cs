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
    public async Task openapi_document_lists_the_transfer_endpoint()
    {
        using var client = fixture.NewClient();
        var json = await client.GetStringAsync("/openapi/v1.json");
        using var doc = JsonDocument.Parse(json);
        Assert.True(doc.RootElement.GetProperty("paths").TryGetProperty("/api/v1/credits/transfers", out _));
    }

    [Fact]
    public async Task dashboard_needs_a_token()
    {
        using var client = fixture.NewClient();
        var response = await client.GetAsync("/dashboard");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
