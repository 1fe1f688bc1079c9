using System.Text.Json.Serialization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace NeXChange.Api.OpenApi;

/// <summary>
/// The generator lists every constructor parameter of a record as required. A member the API leaves out when
/// it is null, or a request member with a default, is optional in fact, and the document says so.
/// </summary>
public static class OptionalMembers
{
    public static Task Describe(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken _)
    {
        if (schema.Required is not { Count: > 0 } required) return Task.CompletedTask;
        foreach (var property in context.JsonTypeInfo.Properties)
        {
            if (MayBeOmitted(property)) required.Remove(property.Name);
        }
        return Task.CompletedTask;
    }

    private static bool MayBeOmitted(System.Text.Json.Serialization.Metadata.JsonPropertyInfo property) =>
        property.AssociatedParameter is { HasDefaultValue: true }
        || property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), true)
            .OfType<JsonIgnoreAttribute>().Any(a => a.Condition != JsonIgnoreCondition.Never) == true;
}
