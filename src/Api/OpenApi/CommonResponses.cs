using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using NeXChange.Api.Idempotency;
using NeXChange.Api.Problems;

namespace NeXChange.Api.OpenApi;

/// <summary>
/// The problem answers that come from the pipeline rather than the handler, so endpoints do not list them:
/// rate limiting, failures and unavailable stores everywhere; 401 where a token is required; the
/// Idempotency-Key refusals; and unreadable, oversized or wrongly typed request bodies.
/// </summary>
public static class CommonResponses
{
    public static Task Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken _)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var statuses = new List<int> { 429, 500, 503 };
        if (metadata.OfType<IAuthorizeData>().Any()) statuses.Add(401);
        if (metadata.OfType<RequiresIdempotencyKey>().Any()) statuses.AddRange([400, 409]);
        if (operation.RequestBody is not null) statuses.AddRange([400, 413, 415]);

        operation.Responses ??= [];
        foreach (var status in statuses.Distinct())
        {
            operation.Responses.TryAdd(status.ToString(System.Globalization.CultureInfo.InvariantCulture), new OpenApiResponse
            {
                Description = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [ProblemWriter.ContentType] = new() { Schema = new OpenApiSchemaReference(nameof(Microsoft.AspNetCore.Mvc.ProblemDetails), context.Document) },
                },
            });
        }
        return Task.CompletedTask;
    }
}
