using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using NeXChange.Errors;

namespace NeXChange.Api.Problems;

/// <summary>
/// The one exception-to-problem mapping: domain refusals keep their code, unreadable bodies and parameters become
/// validation_failed, an unreachable cluster or store becomes service_unavailable, anything else
/// internal_error with no stack trace in the body.
/// </summary>
public sealed class ErrorHandling(ILogger<ErrorHandling> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var context = httpContext;
        switch (exception)
        {
            case DomainException domain:
                await ProblemWriter.Write(context, domain);
                break;
            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                await ProblemWriter.Write(context, ErrorCodes.PayloadTooLarge);
                break;
            case BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType }:
                await ProblemWriter.Write(context, ErrorCodes.UnsupportedMediaType);
                break;
            case BadHttpRequestException or JsonException:
                await WriteUnreadable(context, exception);
                break;
            // ConnectionFailedException: the client could not reach a silo that just died (its gateway is still listed).
            case SiloUnavailableException or OrleansMessageRejectionException or Orleans.Runtime.Messaging.ConnectionFailedException
                or Npgsql.NpgsqlException or StackExchange.Redis.RedisConnectionException or TimeoutException:
                logger.LogError(exception, "Dependency unavailable for {Path}", context.Request.Path);
                await ProblemWriter.Write(context, ErrorCodes.ServiceUnavailable, extensions: new Dictionary<string, object> { ["retryAfterSeconds"] = 1 });
                break;
            default:
                logger.LogError(exception, "Unhandled error for {Path}", context.Request.Path);
                await ProblemWriter.Write(context, ErrorCodes.InternalError);
                break;
        }
        return true;
    }

    /// <summary>
    /// Names the JSON member that could not be read (SPEC.md 9.1: field = JSON path) but never repeats the reader's or
    /// the binder's message: those name .NET types and parameters ("System.Int32", "Auth+LoginRequest", "int? limit").
    /// </summary>
    private static Task WriteUnreadable(HttpContext context, Exception exception)
    {
        if ((exception as JsonException ?? exception.InnerException as JsonException)?.Path is not { } path)
            return ProblemWriter.Write(context, ErrorCodes.ValidationFailed, "A parameter or the request body could not be read.");
        var field = path == "$" ? "" : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path[1..];
        return ProblemWriter.Write(context, ErrorCodes.ValidationFailed, "The request body is not valid JSON for this request.",
            [new FieldError(field, FieldCodes.InvalidFormat,
                "Malformed JSON, a value of the wrong type, an unknown member, or a member given twice (in any letter case).")]);
    }
}
