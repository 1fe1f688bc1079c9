using Microsoft.AspNetCore.Http.Features;

namespace NeXChange.Api.Hosting;

/// <summary>
/// JSON bodies are capped at 64 KB (SPEC.md 8.1); the server-wide cap stays at 11 MB for multipart uploads.
/// Reading past the cap fails with a 413 that the error mapping turns into payload_too_large.
/// </summary>
public sealed class JsonBodyLimit(RequestDelegate next)
{
    public const long MaxJsonBytes = 64 * 1024;

    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.HasJsonContentType() || context.Request.ContentType is null)
        {
            var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (feature is { IsReadOnly: false }) feature.MaxRequestBodySize = MaxJsonBytes;
        }
        return next(context);
    }
}
