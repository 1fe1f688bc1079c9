using System.Text.Json;

namespace NeXChange.Api.Tests.Contract;

/// <summary>The document says what the API sends (SPEC.md 9.1), and the contract check catches what it does not.</summary>
public sealed class OpenApiDocumentTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Problem_schema_has_code_traceId_and_every_extension_member_as_optional()
    {
        var problem = (await Schemas()).GetProperty("ProblemDetails");
        var properties = problem.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToHashSet();
        string[] extensions = ["errors", "availableMinor", "requiredMinor", "limit", "limitMinor", "remainingMinor", "limitCount",
            "remainingCount", "currentStatus", "changeableAt", "missing", "reason", "retryAfterSeconds"];
        Assert.Superset(new HashSet<string>(["type", "title", "status", "detail", "instance", "code", "traceId", .. extensions]), properties);
        var required = Required(problem);
        Assert.Contains("code", required);
        Assert.Contains("traceId", required);
        Assert.Empty(required.Intersect(extensions));
    }

    [Fact]
    public async Task Transfer_memo_and_the_item_members_left_out_when_null_are_optional()
    {
        var schemas = await Schemas();
        Assert.DoesNotContain("memo", Required(schemas.GetProperty("TransferRequest")));
        Assert.Contains("toUserId", schemas.GetProperty("TransferRequest").GetProperty("properties").EnumerateObject().Select(p => p.Name));
        var item = Required(schemas.GetProperty("ItemView"));
        Assert.Contains("title", item);
        Assert.DoesNotContain("safetyCheck", item);
        Assert.DoesNotContain("reviewReason", item);
    }

    [Fact]
    public async Task A_body_member_the_document_does_not_know_is_drift()
    {
        var contract = await OpenApiContract.For(api.BaseAddress);
        Assert.Empty(contract.Check("GET", "/api/v1/categories", 200, "application/json", """{"items":[]}"""));
        Assert.NotEmpty(contract.Check("GET", "/api/v1/categories", 200, "application/json", """{"items":[],"total":0}"""));
    }

    [Fact]
    public async Task A_status_the_operation_does_not_document_is_drift()
    {
        var contract = await OpenApiContract.For(api.BaseAddress);
        Assert.NotEmpty(contract.Check("GET", "/api/v1/categories", 404, null, null));
    }

    [Fact]
    public async Task A_problem_member_the_document_does_not_know_is_drift()
    {
        var contract = await OpenApiContract.For(api.BaseAddress);
        const string problem = """{"type":"urn:nexchange:problem:not_found","title":"t","status":404,"detail":"d","instance":"/api/v1/nowhere","code":"not_found","traceId":"x"}""";
        Assert.Empty(contract.Check("GET", "/api/v1/nowhere", 404, "application/problem+json", problem));
        Assert.NotEmpty(contract.Check("GET", "/api/v1/nowhere", 404, "application/problem+json", problem.Replace("}", ""","secret":1}""")));
    }

    [Fact]
    public async Task An_insufficient_funds_refusal_with_its_extension_members_passes_the_check_through_a_test_client()
    {
        var user = await api.RegisterVerified();
        var recipient = await api.RegisterVerified();
        using var client = api.ClientFor(user);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/credits/transfers")
        {
            // One more than the signup grant (SPEC.md 2.4), below every limit.
            Content = System.Net.Http.Json.JsonContent.Create(new { toUserId = recipient.Id, amountMinor = 10_001 }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var response = await client.SendAsync(request);

        Assert.Equal(422, (int)response.StatusCode);
        var body = await response.Json();
        Assert.Equal("insufficient_funds", body.GetProperty("code").GetString());
        Assert.Equal(10_000, body.GetProperty("availableMinor").GetInt64());
        Assert.Equal(10_001, body.GetProperty("requiredMinor").GetInt64());
    }

    private async Task<JsonElement> Schemas()
    {
        using var client = api.NewClient();
        var document = await (await client.GetAsync(OpenApiContract.DocumentPath)).Json();
        return document.GetProperty("components").GetProperty("schemas");
    }

    private static HashSet<string> Required(JsonElement schema) =>
        schema.TryGetProperty("required", out var required) ? required.EnumerateArray().Select(r => r.GetString()!).ToHashSet() : [];
}
