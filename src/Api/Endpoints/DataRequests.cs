using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using NeXChange.Api.Auth;
using NeXChange.Api.OpenApi;
using NeXChange.Api.Validation;
using NeXChange.Errors;
using NeXChange.Privacy;
using NeXChange.Users;

namespace NeXChange.Api.Endpoints;

/// <summary>Data-subject requests (SPEC.md 3.10, 8.2) and the moderators' queue of them (8.6).</summary>
public static class DataRequests
{
    /// <summary>
    /// <c>changes</c> is read as an object whose present members are the fields to rectify (a present null clears
    /// fullName or phone), like PATCH /me; any other member is refused.
    /// </summary>
    public sealed record SubmitBody(string? Type, JsonElement? Changes, string? Password, bool? AcknowledgeBalanceForfeit);

    public sealed record RectifyChanges(string? FullName, string? Phone, string? ZipCode, string? City, string? DateOfBirth);
    public sealed record DataRequestList(IReadOnlyList<DataRequestView> Items);

    /// <summary>DataRequest + userId, displayName (SPEC.md 8.6).</summary>
    public sealed record QueueItem(
        Guid Id, string Type, string Status, DateTimeOffset CreatedAt, DateTimeOffset SlaDeadline, bool Overdue,
        DateTimeOffset? CompletedAt, string? FailureReason, DateTimeOffset? ArchiveExpiresAt, Guid UserId, string DisplayName)
    {
        public static QueueItem From(DataRequestQueueItem i) => new(i.Request.Id, i.Request.Type, i.Request.Status, i.Request.CreatedAt,
            i.Request.SlaDeadline, i.Request.Overdue, i.Request.CompletedAt, i.Request.FailureReason, i.Request.ArchiveExpiresAt,
            i.UserId, i.DisplayName);
    }

    public sealed record QueuePage(IReadOnlyList<QueueItem> Items, string? NextBefore);

    private static readonly HashSet<string> RectifiableFields = new(StringComparer.Ordinal) { "fullName", "phone", "zipCode", "city", "dateOfBirth" };

    public static void Map(RouteGroupBuilder api)
    {
        var mine = api.MapGroup("/me/data-requests").WithTags("Me").RequireAuthorization();
        mine.MapPost("", Submit).Fails(400, 401, 404, 409, 422);
        mine.MapGet("", async (HttpContext http, IClusterClient cluster) =>
            TypedResults.Ok(new DataRequestList(await Requests(http, cluster).List()))).Fails(401);
        mine.MapGet("/{id}", async (string id, HttpContext http, IClusterClient cluster) =>
            TypedResults.Ok(await Requests(http, cluster).Get(ParseId(id)))).Fails(401, 404);
        mine.MapGet("/{id}/archive", async (string id, HttpContext http, IClusterClient cluster) =>
            TypedResults.Ok(await Requests(http, cluster).GetArchive(ParseId(id)))).Fails(401, 404, 409);

        api.MapGet("/admin/data-requests", Queue).WithTags("Moderation").RequireAuthorization(AuthSetup.ModeratorPolicy).Fails(400, 401, 403);
    }

    private static async Task<Created<DataRequestView>> Submit(SubmitBody body, HttpContext http, IClusterClient cluster, IOptions<JsonOptions> json)
    {
        var submission = new DataRequestSubmission(body.Type, Changes(body.Changes, json.Value.SerializerOptions), body.Password,
            body.AcknowledgeBalanceForfeit ?? false);
        var request = await Requests(http, cluster).Submit(submission);
        return TypedResults.Created($"/api/v1/me/data-requests/{request.Id}", request);
    }

    private static ProfileChanges? Changes(JsonElement? changes, JsonSerializerOptions options)
    {
        if (changes is not { } body || body.ValueKind == JsonValueKind.Null) return null;
        if (body.ValueKind != JsonValueKind.Object) throw DomainException.Validation("changes", FieldCodes.InvalidFormat, "changes is an object.");
        var present = body.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        if (present.FirstOrDefault(name => !RectifiableFields.Contains(name)) is { } unknown)
            throw DomainException.Validation($"changes.{unknown}", FieldCodes.UnknownValue, "Only fullName, phone, zipCode, city and dateOfBirth can be rectified.");
        if (present.Count == 0) throw DomainException.Validation("changes", FieldCodes.Required, "List at least one field to rectify.");
        var values = body.Deserialize<RectifyChanges>(options)!;
        return new ProfileChanges(values.FullName, values.Phone, values.ZipCode, values.City, VehicleDescription: null, present, values.DateOfBirth);
    }

    private static async Task<Ok<QueuePage>> Queue(string? status, string? type, string? before, int? limit, IClusterClient cluster)
    {
        var rules = new RequestRules();
        var size = rules.Range("limit", limit, 1, 100, 20);
        rules.ThrowIfInvalid();
        var page = await cluster.GetGrain<IDataRequestQueueGrain>(0).List(status, type, before, size);
        return TypedResults.Ok(new QueuePage([.. page.Items.Select(QueueItem.From)], page.NextBefore));
    }

    private static IDataRequestsGrain Requests(HttpContext http, IClusterClient cluster) =>
        cluster.GetGrain<IDataRequestsGrain>(http.User.UserId());

    /// <summary>A malformed id in a path is 404 (SPEC.md 8.1).</summary>
    private static Guid ParseId(string id) => Guid.TryParse(id, out var parsed) ? parsed : throw DomainException.NotFound();
}
