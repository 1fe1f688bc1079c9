using System.ComponentModel;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using NeXChange.Api.Auth;
using NeXChange.Api.OpenApi;
using NeXChange.Api.Validation;
using NeXChange.Errors;
using NeXChange.Notifications;

namespace NeXChange.Api.Endpoints;

/// <summary>The caller's notification feed and marking entries read (SPEC.md 6.10, 8.2).</summary>
public static class Notifications
{
    private const int MaxIds = 100;

    /// <summary>An entry; <c>data</c> is a flat object whose members depend on the type (strings, integers, booleans).</summary>
    public sealed record NotificationView(
        Guid Id,
        [property: Description("One of the notification types of SPEC.md 6.10, e.g. `offer_received`, `transfer_received`, `item_review`.")] string Type,
        Guid? TradeId,
        Guid? ItemId,
        [property: Description("Flat; values are strings, integers or booleans: display names, item title, amounts in minor units, reason codes. Never free text from another user.")]
        IReadOnlyDictionary<string, JsonElement> Data,
        DateTimeOffset CreatedAt,
        DateTimeOffset? ReadAt)
    {
        public static NotificationView From(Notification n) => new(n.Id, n.Type, n.TradeId, n.ItemId,
            JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(n.DataJson)!, n.CreatedAt, n.ReadAt);
    }

    public sealed record FeedView(IReadOnlyList<NotificationView> Items, string? NextBefore, int UnreadCount);

    /// <summary>Exactly one of <c>ids</c> (at most 100) and <c>all: true</c>.</summary>
    public sealed record ReadRequest(IReadOnlyList<Guid>? Ids = null, bool? All = null);

    public static void Map(RouteGroupBuilder api)
    {
        var feed = api.MapGroup("/me/notifications").WithTags("Notifications").RequireAuthorization();
        feed.MapGet("", List).Fails(400, 401);
        feed.MapPost("/read", MarkRead).Fails(400, 401);
    }

    private static INotificationFeedGrain Feed(HttpContext http, IClusterClient cluster) =>
        cluster.GetGrain<INotificationFeedGrain>(http.User.UserId());

    private static async Task<Ok<FeedView>> List(bool? unreadOnly, string? before, int? limit, HttpContext http, IClusterClient cluster)
    {
        var rules = new RequestRules();
        var size = rules.Range("limit", limit, 1, 100, 20);
        rules.ThrowIfInvalid();
        var page = await Feed(http, cluster).List(unreadOnly ?? false, before, size);
        return TypedResults.Ok(new FeedView(page.Items.Select(NotificationView.From).ToList(), page.NextBefore, page.UnreadCount));
    }

    private static async Task<NoContent> MarkRead(ReadRequest body, HttpContext http, IClusterClient cluster)
    {
        if (!(body is { Ids: not null, All: null } or { Ids: null, All: true }))
            throw DomainException.Validation("", FieldCodes.InvalidValue, "Send either ids or all: true, not both.");
        if (body.Ids is { Count: > MaxIds })
            throw DomainException.Validation("ids", FieldCodes.TooLong, $"At most {MaxIds} ids at a time.");
        var feed = Feed(http, cluster);
        await (body.Ids is { } ids ? feed.MarkRead(ids) : feed.MarkAllRead());
        return TypedResults.NoContent();
    }
}
