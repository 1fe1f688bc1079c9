using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NeXChange.Api.Auth;
using NeXChange.Api.Problems;
using NeXChange.Errors;
using StackExchange.Redis;

namespace NeXChange.Api.RateLimiting;

/// <summary>
/// SPEC.md 3.12 in front of every endpoint. ASP.NET Core's rate limiter keeps its windows in the process and picks a
/// partition synchronously, while these windows are shared by all API nodes through Redis and the login class is
/// keyed by the email in the body, so this is a small middleware over <see cref="SlidingWindow"/> instead.
/// The api class fails open when Redis is down; the auth classes fail closed (503), as SPEC.md asks.
/// </summary>
public sealed class RateLimitMiddleware(RequestDelegate next, SlidingWindow window, RateLimitOptions options, ILogger<RateLimitMiddleware> logger)
{
    private static readonly string[] ExemptPrefixes = ["/health", "/openapi", "/docs", "/media", "/api/v1/webhooks/custody"];

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (endpoint is null || ExemptPrefixes.Any(p => context.Request.Path.StartsWithSegments(p)))
        {
            await next(context);
            return;
        }

        var limits = options.Classes[endpoint.Metadata.GetMetadata<RateLimitedAs>()?.ClassName ?? RateLimitOptions.Api];
        SlidingWindow.Decision decision;
        try
        {
            decision = await window.TryAcquireAsync(limits, await KeyAsync(context, limits.Name));
        }
        catch (RedisException e)
        {
            logger.LogWarning(e, "Rate limit class {Class} could not be checked", limits.Name);
            if (limits.FailOpen) await next(context);
            else await ProblemWriter.Write(context, ErrorCodes.ServiceUnavailable, extensions: new Dictionary<string, object> { ["retryAfterSeconds"] = 5 });
            return;
        }

        // Set when the response starts: an error answer clears the headers written before it.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers["RateLimit-Limit"] = decision.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
            headers["RateLimit-Remaining"] = decision.Remaining.ToString(System.Globalization.CultureInfo.InvariantCulture);
            headers["RateLimit-Reset"] = decision.ResetSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });
        if (decision.Accepted) await next(context);
        else await ProblemWriter.Write(context, ErrorCodes.RateLimited, extensions: new Dictionary<string, object> { ["retryAfterSeconds"] = decision.ResetSeconds });
    }

    /// <summary>Who a window belongs to; emails only as a hash, so Redis holds no addresses.</summary>
    private static async Task<string> KeyAsync(HttpContext context, string className)
    {
        var ip = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var user = context.User.Identity?.IsAuthenticated == true ? context.User.UserId().ToString() : null;
        return className switch
        {
            RateLimitOptions.Login => $"{Hash(await EmailFromBodyAsync(context))}:{ip}",
            RateLimitOptions.Register => ip,
            RateLimitOptions.PasswordReset => user ?? Hash(await EmailFromBodyAsync(context)),
            _ => user ?? ip,
        };
    }

    private static async Task<string> EmailFromBodyAsync(HttpContext context)
    {
        context.Request.EnableBuffering();
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            return document.RootElement.ValueKind == JsonValueKind.Object
                   && document.RootElement.TryGetProperty("email", out var email) && email.ValueKind == JsonValueKind.String
                ? email.GetString()!.Trim().ToLowerInvariant()
                : "";
        }
        catch (JsonException)
        {
            // Malformed bodies still count (every attempt counts); the endpoint refuses them afterwards.
            return "";
        }
        finally
        {
            context.Request.Body.Position = 0;
        }
    }

    private static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..32];
}
