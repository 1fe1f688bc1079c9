using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using NeXChange.Api.Auth;
using NeXChange.Api.OpenApi;
using NeXChange.Api.Validation;
using NeXChange.Errors;
using NeXChange.Users;

namespace NeXChange.Api.Endpoints;

/// <summary>Identity verification (SPEC.md 3.8, 8.2, 8.6): the user's upload and the moderators' queue and decisions.</summary>
public static class Verification
{
    public sealed record VerificationState(string VerificationStatus);
    public sealed record DecisionRequest(string? Decision, string? Reason);
    public sealed record DecisionResult(Guid UserId, string VerificationStatus);

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/me/verification", Submit).WithTags("Me").RequireAuthorization().DisableAntiforgery()
            .Fails(400, 401, 409, 413, 415, 422, 503);

        var admin = api.MapGroup("/admin/verifications").WithTags("Moderation").RequireAuthorization(AuthSetup.ModeratorPolicy);
        admin.MapGet("", Queue).Fails(400, 401, 403);
        admin.MapPost("/{userId}", Decide).Fails(400, 401, 403, 404, 409);
    }

    /// <summary>The document's type and content are checked by the user grain; only the size is refused here, before copying.</summary>
    private static async Task<Accepted<VerificationState>> Submit([FromForm] string? documentType, IFormFile? file, HttpContext http, IClusterClient cluster)
    {
        var content = await Uploads.ReadImage(file, http.RequestAborted);
        var status = await cluster.GetGrain<IUserGrain>(http.User.UserId()).SubmitVerification(documentType, content);
        return TypedResults.Accepted((string?)null, new VerificationState(status));
    }

    private static async Task<Ok<VerificationPage>> Queue(string? status, string? before, int? limit, IClusterClient cluster)
    {
        var rules = new RequestRules();
        var size = rules.Range("limit", limit, 1, 100, 20);
        rules.ThrowIfInvalid();
        status ??= VerificationStates.Pending;
        if (!VerificationStates.RequestStates.Contains(status))
            throw DomainException.Validation("status", FieldCodes.UnknownValue, "status is pending, verified or rejected.");
        return TypedResults.Ok(await cluster.GetGrain<IVerificationQueueGrain>(0).List(status, before, size));
    }

    private static async Task<Ok<DecisionResult>> Decide(string userId, DecisionRequest body, HttpContext http, IClusterClient cluster)
    {
        if (!Guid.TryParse(userId, out var id)) throw DomainException.NotFound();
        var status = await cluster.GetGrain<IUserGrain>(id).DecideVerification(http.User.UserId(), new VerificationDecision(body.Decision, body.Reason));
        return TypedResults.Ok(new DecisionResult(id, status));
    }
}
