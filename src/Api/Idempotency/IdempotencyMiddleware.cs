using System.Text;
using Microsoft.AspNetCore.Diagnostics;
using NeXChange.Api.Auth;
using NeXChange.Api.Problems;
using NeXChange.Errors;

namespace NeXChange.Api.Idempotency;

/// <summary>
/// Applies SPEC.md 2.7 to every POST/PUT/PATCH/DELETE that carries an Idempotency-Key, and refuses the
/// endpoints that require one when it is missing. The first response is stored with its status and body
/// (refusals included) and replayed unchanged; 5xx and 429 are not stored, so a retry runs anew. Errors are
/// turned into problem bodies here, inside the capture, so a stored refusal replays exactly.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IdempotencyStore store, IExceptionHandler errors)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        // Records are scoped to the caller (SPEC.md 2.7). Anonymous callers have no identity to scope by, and a
        // shared anonymous scope would replay one client's answer (e.g. its new tokens) to another: not honoured.
        if (endpoint is not RouteEndpoint route || HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
            || context.User.Identity?.IsAuthenticated != true)
        {
            await next(context);
            return;
        }

        var key = context.Request.Headers[Header].ToString();
        if (key.Length == 0)
        {
            if (endpoint.Metadata.GetMetadata<RequiresIdempotencyKey>() is not null)
                await ProblemWriter.Write(context, ErrorCodes.IdempotencyKeyMissing);
            else
                await next(context);
            return;
        }
        if (key.Length > 255 || key.Any(c => c is < '!' or > '~'))
        {
            await ProblemWriter.Write(context, ErrorCodes.ValidationFailed, "Idempotency-Key must be 1-255 visible ASCII characters.",
                [new FieldError(Header, "invalid_format", "1-255 visible ASCII characters.")]);
            return;
        }

        context.Request.EnableBuffering();
        using var bodyCopy = new MemoryStream();
        await context.Request.Body.CopyToAsync(bodyCopy, context.RequestAborted);
        context.Request.Body.Position = 0;

        var scope = context.User.UserId().ToString();
        var fingerprint = RequestFingerprint.Compute(context.Request.Method, route.RoutePattern.RawText ?? "",
            context.Request.RouteValues, bodyCopy.GetBuffer().AsSpan(0, (int)bodyCopy.Length));

        var (claim, existing) = await store.TryClaimAsync(scope, key, fingerprint);
        if (claim is null)
        {
            await Answer(context, existing!, fingerprint);
            return;
        }

        var original = context.Response.Body;
        using var capture = new MemoryStream();
        context.Response.Body = capture;
        try
        {
            using (var running = new CancellationTokenSource())
            {
                var keepAlive = store.KeepAliveAsync(claim, running.Token);
                try
                {
                    await next(context);
                }
                catch (Exception exception) when (!context.Response.HasStarted)
                {
                    context.Response.Clear();
                    await errors.TryHandleAsync(context, exception, context.RequestAborted);
                }
                finally
                {
                    await running.CancelAsync();
                    await keepAlive;
                }
            }

            var status = context.Response.StatusCode;
            if (status >= 500 || status == StatusCodes.Status429TooManyRequests)
                await store.ReleaseAsync(claim);
            else
                await store.CompleteAsync(claim, new IdempotencyStore.Record(fingerprint, false, status,
                    context.Response.ContentType, Encoding.UTF8.GetString(capture.GetBuffer(), 0, (int)capture.Length),
                    context.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : null));
        }
        catch
        {
            await store.ReleaseAsync(claim);
            throw;
        }
        finally
        {
            context.Response.Body = original;
        }
        capture.Position = 0;
        await capture.CopyToAsync(original, context.RequestAborted);
    }

    /// <summary>
    /// Marks an answer whose money movement the ledger found already posted under its key: after the Redis record
    /// expired (24 h), a retry is still a replay and says so like one (SPEC.md 2.7).
    /// </summary>
    public static void MarkLedgerReplay(HttpContext context, bool replayed)
    {
        if (replayed) context.Response.Headers[ReplayedHeader] = "true";
    }

    private static async Task Answer(HttpContext context, IdempotencyStore.Record record, string fingerprint)
    {
        if (record.Fingerprint != fingerprint)
        {
            await ProblemWriter.Write(context, ErrorCodes.IdempotencyConflict);
            return;
        }
        if (record.Running)
        {
            await ProblemWriter.Write(context, ErrorCodes.IdempotencyInProgress,
                extensions: new Dictionary<string, object> { ["retryAfterSeconds"] = 1 });
            return;
        }
        context.Response.StatusCode = record.Status;
        context.Response.Headers[ReplayedHeader] = "true";
        if (record.Location is not null) context.Response.Headers.Location = record.Location;
        if (record.ContentType is not null) context.Response.ContentType = record.ContentType;
        if (record.Body is { Length: > 0 }) await context.Response.WriteAsync(record.Body);
    }
}
