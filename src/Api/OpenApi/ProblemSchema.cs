using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace NeXChange.Api.OpenApi;

/// <summary>
/// The problem+json body exactly as <see cref="Problems.ProblemWriter"/> writes it (SPEC.md 9.1): the RFC 9457
/// members, <c>code</c> and <c>traceId</c> always, field errors and the code-specific members only where relevant.
/// Closed to other members, so a new extension must be documented here before a client can rely on it.
/// </summary>
public static class ProblemSchema
{
    public static Task Describe(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken _)
    {
        if (context.JsonTypeInfo.Type != typeof(ProblemDetails)) return Task.CompletedTask;
        schema.Type = JsonSchemaType.Object;
        schema.Description = "A refused request; `code` is the stable error code, the other optional members belong to the codes named in their descriptions.";
        schema.AdditionalPropertiesAllowed = false;
        schema.AdditionalProperties = null;
        schema.Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = Text("`urn:nexchange:problem:{code}`."),
            ["title"] = Text("Fixed per code."),
            ["status"] = Integer("The HTTP status.", "int32"),
            ["detail"] = Text("What went wrong; never another user's data."),
            ["instance"] = Text("The request path."),
            ["code"] = Text("The stable error code (SPEC.md 9.2)."),
            ["traceId"] = Text("Equals the X-Request-Id response header."),
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Description = "validation_failed: one entry per broken field rule.",
                Items = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    AdditionalPropertiesAllowed = false,
                    Properties = new Dictionary<string, IOpenApiSchema>
                    {
                        ["field"] = Text("The JSON path the client sent, such as `attributes.brand`."),
                        ["code"] = Text("The rule, such as `required` or `out_of_range`."),
                        ["message"] = Text("A readable explanation."),
                    },
                    Required = new HashSet<string> { "field", "code", "message" },
                },
            },
            ["availableMinor"] = Integer("insufficient_funds: the spendable balance.", "int64"),
            ["requiredMinor"] = Integer("insufficient_funds: what the request needs.", "int64"),
            ["limit"] = Text("limit_exceeded: the name of the limit."),
            ["limitMinor"] = Integer("limit_exceeded (amount limits): the limit.", "int64"),
            ["remainingMinor"] = Integer("limit_exceeded (amount limits): what is left today.", "int64"),
            ["limitCount"] = Integer("limit_exceeded (count limits): the limit.", "int32"),
            ["remainingCount"] = Integer("limit_exceeded (count limits): what is left today.", "int32"),
            ["currentStatus"] = Text("invalid_transition: the state the resource is in."),
            ["changeableAt"] = new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time", Description = "display_name_cooldown: when the name can change." },
            ["missing"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Array,
                Items = new OpenApiSchema { Type = JsonSchemaType.String },
                Description = "publish_requirements_not_met: the requirements still open.",
            },
            ["distanceMi"] = new OpenApiSchema { Type = JsonSchemaType.Number, Description = "distance_confirmation_required: the place's distance from the caller's area, miles, 1 decimal." },
            ["reason"] = Text("image_invalid: why the image cannot be used."),
            ["retryAfterSeconds"] = Integer("rate_limited, service_unavailable, idempotency_in_progress and others: equals Retry-After.", "int64"),
        };
        schema.Required = new HashSet<string> { "type", "title", "status", "detail", "instance", "code", "traceId" };
        return Task.CompletedTask;
    }

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };

    private static OpenApiSchema Integer(string description, string format) =>
        new() { Type = JsonSchemaType.Integer, Format = format, Description = description };
}
