using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using NeXChange.Errors;

namespace NeXChange.Api.Problems;

/// <summary>
/// The one exception-to-problem mapping: domain refusals keep their code, unreadable bodies become
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
            case BadHttpRequestException or JsonException:
                await ProblemWriter.Write(context, ErrorCodes.ValidationFailed, ReadableDetail(exception));
                break;
            case SiloUnavailableException or OrleansMessageRejectionException or Npgsql.NpgsqlException
                or StackExchange.Redis.RedisConnectionException or TimeoutException:
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

    // The JSON reader's message names the property and position but never echoes values back.
    private static string ReadableDetail(Exception exception) =>
        (exception.InnerException as JsonException ?? exception as JsonException)?.Message?.Split(" Path:")[0]
        ?? "The request body could not be read.";
}
