using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using NeXChange.Errors;

namespace NeXChange.Api.Problems;

/// <summary>Writes the one problem+json shape of SPEC.md 9.1 for every error the API returns.</summary>
public static class ProblemWriter
{
    public const string ContentType = "application/problem+json";

    public static Task Write(HttpContext context, DomainException error) =>
        Write(context, error.Code, error.Detail, error.Errors, error.Extensions);

    public static async Task Write(HttpContext context, string code, string? detail = null,
        IReadOnlyList<FieldError>? errors = null, IReadOnlyDictionary<string, object>? extensions = null)
    {
        var (status, title) = ProblemCatalog.Lookup(code);
        var body = new Dictionary<string, object?>
        {
            ["type"] = $"urn:nexchange:problem:{code}",
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail ?? title,
            ["instance"] = context.Request.Path.Value,
            ["code"] = code,
            ["traceId"] = context.TraceIdentifier,
        };
        if (errors is { Count: > 0 })
            body["errors"] = errors.Select(e => new { field = e.Field, code = e.Code, message = e.Message }).ToList();
        foreach (var (key, value) in extensions ?? new Dictionary<string, object>()) body[key] = value;

        if (status == StatusCodes.Status401Unauthorized) context.Response.Headers.WWWAuthenticate = "Bearer";
        if (body.TryGetValue("retryAfterSeconds", out var retry) && retry is not null)
            context.Response.Headers.RetryAfter = Convert.ToString(retry, System.Globalization.CultureInfo.InvariantCulture);
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        // The API's own JSON options, so members such as changeableAt are written like every other timestamp.
        var json = context.RequestServices?.GetService<IOptions<JsonOptions>>()?.Value.SerializerOptions ?? JsonSerializerOptions.Web;
        await context.Response.WriteAsync(JsonSerializer.Serialize(body, json));
    }
}
