using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using NeXChange.Api.Auth;
using NeXChange.Api.OpenApi;
using NeXChange.Api.Validation;
using NeXChange.Audit;

namespace NeXChange.Api.Endpoints;

/// <summary>The audit log for admins (SPEC.md 3.13, 8.6): filters, newest first, keyset paged.</summary>
public static class Audit
{
    private const int MaxFilterLength = 100;

    /// <summary>One audit row; <c>data</c> is an object whose members depend on the action.</summary>
    public sealed record AuditEntryView(
        long Id,
        DateTimeOffset At,
        Guid? ActorId,
        [property: Description("One of the actions of SPEC.md 3.13, e.g. `USER_REGISTERED`, `ROLE_CHANGED`.")] string Action,
        [property: Description("What the action touched, e.g. `user`, `trade`, `safe_zone`.")] string EntityType,
        string EntityId,
        [property: Description("Details of the action; never a password, a token or a raw email.")] JsonElement Data,
        string? Ip)
    {
        public static AuditEntryView From(AuditLogEntry e) => new(e.Id, e.At, e.ActorId, e.Action, e.EntityType, e.EntityId,
            JsonSerializer.Deserialize<JsonElement>(e.DataJson), e.Ip);
    }

    public sealed record AuditPageView(IReadOnlyList<AuditEntryView> Items, string? NextBefore);

    public static void Map(RouteGroupBuilder api) =>
        api.MapGet("/admin/audit", List).WithTags("Admin").RequireAuthorization(AuthSetup.AdminPolicy).Fails(400, 401, 403);

    private static async Task<Ok<AuditPageView>> List(string? entityType, string? entityId, string? action, string? actorId,
        string? before, int? limit, IClusterClient cluster)
    {
        var rules = new RequestRules();
        var filter = new AuditFilter(
            rules.Length("entityType", entityType, 1, MaxFilterLength),
            rules.Length("entityId", entityId, 1, MaxFilterLength),
            rules.Length("action", action, 1, MaxFilterLength),
            rules.Uuid("actorId", actorId));
        var size = rules.Range("limit", limit, 1, 100, 20);
        rules.ThrowIfInvalid();
        var page = await cluster.GetGrain<IAuditQueriesGrain>(0).List(filter, before, size);
        return TypedResults.Ok(new AuditPageView([.. page.Items.Select(AuditEntryView.From)], page.NextBefore));
    }
}
