using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using NeXChange.Api.Idempotency;

namespace NeXChange.Api.OpenApi;

/// <summary>
/// Fills in what minimal-API metadata cannot say on its own: the Idempotency-Key header where it is required,
/// the bearer scheme, the problem+json answers every endpoint can give and the problem body itself, and which
/// members may be left out.
/// </summary>
public static class OpenApiSetup
{
    public static IServiceCollection AddNeXChangeOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "NeXChange API",
                    Version = "v1",
                    Description = "Local barter marketplace: accounts, credits ledger, items, trades. Errors are application/problem+json with a stable `code`.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["bearer"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                };
                return Task.CompletedTask;
            });
            o.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<RequiresIdempotencyKey>().Any())
                {
                    operation.Parameters ??= [];
                    operation.Parameters.Add(new OpenApiParameter
                    {
                        Name = IdempotencyMiddleware.Header,
                        In = ParameterLocation.Header,
                        Required = true,
                        Description = "1-255 visible ASCII characters; a UUID is recommended. Replays return the first answer.",
                        Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 255 },
                    });
                }
                if (metadata.OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Any())
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("bearer", context.Document)] = [] });
                }
                return Task.CompletedTask;
            });
            o.AddOperationTransformer(CommonResponses.Describe);
            // In this order: the problem schema states its own required members.
            o.AddSchemaTransformer(OptionalMembers.Describe);
            o.AddSchemaTransformer(ClosedSets.Describe);
            o.AddSchemaTransformer(ProblemSchema.Describe);
        });
}
