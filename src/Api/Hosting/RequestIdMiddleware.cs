namespace NeXChange.Api.Hosting;

/// <summary>
/// X-Request-Id (≤ 100 chars) is echoed, or generated when absent, and becomes the problem traceId.
/// API JSON is never cached by intermediaries.
/// </summary>
public sealed class RequestIdMiddleware(RequestDelegate next)
{
    public const string Header = "X-Request-Id";

    public Task InvokeAsync(HttpContext context)
    {
        var supplied = context.Request.Headers[Header].ToString();
        var id = supplied.Length is > 0 and <= 100 && supplied.All(c => c is > ' ' and < (char)127) ? supplied : Guid.CreateVersion7().ToString();
        context.TraceIdentifier = id;
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[Header] = id;
            // Endpoints that may be cached (avatars) say so themselves.
            if (context.Request.Path.StartsWithSegments("/api") && string.IsNullOrEmpty(context.Response.Headers.CacheControl))
                context.Response.Headers.CacheControl = "no-store";
            return Task.CompletedTask;
        });
        return next(context);
    }
}
