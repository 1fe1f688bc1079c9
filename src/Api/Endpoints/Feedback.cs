using Microsoft.AspNetCore.Http.HttpResults;
using NeXChange.Api.Auth;
using NeXChange.Api.OpenApi;
using NeXChange.Api.Validation;
using NeXChange.Errors;
using NeXChange.Feedback;

namespace NeXChange.Api.Endpoints;

/// <summary>Feedback on trades and the ratings a user received (SPEC.md 6.9, 8.2, 8.4); the rules are the feedback grain's.</summary>
public static class Feedback
{
    public sealed record FeedbackBody(int? Rating, string? Comment = null);

    public static void Map(RouteGroupBuilder api)
    {
        var trade = api.MapGroup("/trades/{id}/feedback").WithTags("Trades").RequireAuthorization();
        trade.MapPost("", Submit).Fails(400, 401, 404, 409);
        trade.MapGet("", (string id, HttpContext http, IClusterClient cluster) =>
            Grain(cluster).ForTrade(Id(id), http.User.UserId())).Fails(401, 404);
        api.MapGet("/users/{id}/feedback", Received).WithTags("Users").Fails(400, 404);
    }

    private static IFeedbackGrain Grain(IClusterClient cluster) => cluster.GetGrain<IFeedbackGrain>(0);

    /// <summary>A malformed id is just an unknown resource (SPEC.md 8.1).</summary>
    private static Guid Id(string id) => Guid.TryParse(id, out var parsed) ? parsed : throw DomainException.NotFound();

    private static async Task<Created<FeedbackEntry>> Submit(string id, FeedbackBody body, HttpContext http, IClusterClient cluster)
    {
        var tradeId = Id(id);
        var rules = new RequestRules();
        var rating = rules.Range("rating", rules.Required("rating", body.Rating), 1, 5, 0);
        var comment = rules.Length("comment", body.Comment, 10, 500);
        rules.ThrowIfInvalid();
        var entry = await Grain(cluster).Submit(tradeId, http.User.UserId(), rating, comment);
        return TypedResults.Created($"/api/v1/trades/{tradeId}/feedback", entry);
    }

    private static Task<FeedbackPage> Received(string id, string? before, int? limit, IClusterClient cluster)
    {
        var subjectId = Id(id);
        var rules = new RequestRules();
        var size = rules.Range("limit", limit, 1, 100, 20);
        rules.ThrowIfInvalid();
        return Grain(cluster).ListReceived(subjectId, before, size);
    }
}
