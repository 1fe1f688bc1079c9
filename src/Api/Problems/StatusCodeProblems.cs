using Microsoft.AspNetCore.Diagnostics;
using NeXChange.Errors;

namespace NeXChange.Api.Problems;

/// <summary>
/// Bodiless framework answers (unknown route, auth challenge) become problem+json too. A path that exists
/// only for another method answers 404 like an unknown path.
/// </summary>
public static class StatusCodeProblems
{
    public static Task Write(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var code = http.Response.StatusCode switch
        {
            401 => ErrorCodes.Unauthenticated,
            403 => ErrorCodes.Forbidden,
            404 or 405 => ErrorCodes.NotFound,
            413 => ErrorCodes.PayloadTooLarge,
            415 => ErrorCodes.UnsupportedMediaType,
            >= 500 => ErrorCodes.InternalError,
            _ => ErrorCodes.ValidationFailed,
        };
        return ProblemWriter.Write(http, code);
    }
}
