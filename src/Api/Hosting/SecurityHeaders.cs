namespace NeXChange.Api.Hosting;

/// <summary>
/// Every answer, errors and /media blobs included, forbids MIME sniffing, so a stored blob or an echoed value is
/// never run as a script or page. The HTML pages (/docs, /dashboard) may not be framed by any site: the dashboard
/// acts with an admin's credentials, so a framing page could trick a click.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    private static readonly string[] HtmlPages = ["/docs", "/dashboard"];

    public Task InvokeAsync(HttpContext context)
    {
        // On start, so the headers survive the exception handler and status-code pages, which clear the response.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            // A page with a stricter policy of its own (the dashboard's sign-in page) keeps it; it forbids framing too.
            if (HtmlPages.Any(p => context.Request.Path.StartsWithSegments(p)) && headers.ContentSecurityPolicy.Count == 0)
                headers.ContentSecurityPolicy = "frame-ancestors 'none'";
            return Task.CompletedTask;
        });
        return next(context);
    }
}
