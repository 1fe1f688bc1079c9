using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using NeXChange.Api.Auth;
using NeXChange.Api.Problems;
using NeXChange.Api.Validation;
using NeXChange.Errors;
using NeXChange.Users;
using StackExchange.Redis;

namespace NeXChange.Api.RateLimiting;

/// <summary>
/// SPEC.md 3.12 in front of every endpoint. ASP.NET Core's rate limiter keeps its windows in the process and picks a
/// partition synchronously, while these windows are shared by all API nodes through Redis and the login class is
/// keyed by the email in the body, so this is a small middleware over <see cref="SlidingWindow"/> instead.
/// The api class fails open when Redis is down; the auth classes fail closed (503), as SPEC.md asks.
/// </summary>
public sealed class RateLimitMiddleware(RequestDelegate next, SlidingWindow window, RateLimitOptions options, IOptions<JsonOptions> json,
    ILogger<RateLimitMiddleware> logger)
{
    // The endpoints' binding rules (case-insensitive names, duplicates refused) without refusing the other members.
    private readonly JsonSerializerOptions emailOnly = new(json.Value.SerializerOptions) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip };

    // The Orleans Dashboard polls about three calls a second, more than the api class allows, and answers nobody but
    // an admin; its sign-in still counts as a login (an explicit class beats the exemption).
    private static readonly string[] ExemptPrefixes = ["/health", "/openapi", "/docs", "/media", "/api/v1/webhooks/custody", "/dashboard"];

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        var className = endpoint?.Metadata.GetMetadata<RateLimitedAs>()?.ClassName;
        if (endpoint is null || (className is null && ExemptPrefixes.Any(p => context.Request.Path.StartsWithSegments(p))))
        {
            await next(context);
            return;
        }

        var limits = options.Classes[className ?? RateLimitOptions.Api];
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

    /// <summary>
    /// Who a window belongs to: the email exactly as the endpoint binds and normalises it (SPEC.md 3.12), so that no
    /// casing of the member or the address gets a fresh window; emails only as a hash, so Redis holds no addresses.
    /// </summary>
    private async Task<string> KeyAsync(HttpContext context, string className)
    {
        var network = ClientNetwork.Of(context.Connection.RemoteIpAddress);
        var user = context.User.Identity?.IsAuthenticated == true ? context.User.UserId().ToString() : null;
        return className switch
        {
            RateLimitOptions.Login => $"{Hash(await EmailAsync(context) ?? "")}:{network}",
            RateLimitOptions.Register => network,
            RateLimitOptions.PasswordReset => user ?? (await EmailAsync(context) is { } email ? Hash(email) : $"unreadable:{network}"),
            _ => user ?? network,
        };
    }

    /// <summary>
    /// The normalised email the endpoint will see, or null when the body will not bind (it is refused there). The
    /// dashboard's sign-in page posts a form instead of JSON (its field read as the endpoint reads it).
    /// </summary>
    private async Task<string?> EmailAsync(HttpContext context)
    {
        if (context.Request.HasFormContentType) return await FormEmailAsync(context);
        context.Request.EnableBuffering();
        try
        {
            var body = await JsonSerializer.DeserializeAsync<EmailMember>(context.Request.Body, emailOnly, context.RequestAborted);
            return body?.Email is { } email ? EmailAddress.Normalize(email) : null;
        }
        catch (JsonException)
        {
            // Still counted (every attempt counts), against the client's network instead of an address.
            return null;
        }
        finally
        {
            context.Request.Body.Position = 0;
        }
    }

    private static async Task<string?> FormEmailAsync(HttpContext context)
    {
        try
        {
            return (await context.Request.ReadFormAsync(context.RequestAborted)).OneValue("email") is { } email ? EmailAddress.Normalize(email) : null;
        }
        catch (InvalidDataException)
        {
            // A malformed form is counted like unreadable JSON, against the client's network.
            return null;
        }
    }

    private sealed record EmailMember(string? Email);

    private static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..32];
}
