namespace NeXChange.Notifications;

/// <summary>One user's notification feed (SPEC.md 6.10, 8.2); key = the recipient's user id.</summary>
public interface INotificationFeedGrain : IGrainWithGuidKey
{
    /// <summary>Newest first, keyset paged (SPEC.md 9.4): limit 1–100, a foreign or tampered cursor is invalid_cursor.</summary>
    Task<NotificationPage> List(bool unreadOnly, string? before, int limit);

    /// <summary>Marks these of the user's notifications read (at most 100); ids of other users are silently ignored.</summary>
    Task MarkRead(IReadOnlyList<Guid> ids);

    Task MarkAllRead();
}

/// <summary>
/// One feed entry. <see cref="DataJson"/> is the entry's flat JSON object as stored (strings, integers, booleans),
/// passed through as text because its members differ per type.
/// </summary>
[GenerateSerializer, Alias("NeXChange.Notifications.Notification")]
public sealed record Notification(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Type,
    [property: Id(2)] Guid? TradeId,
    [property: Id(3)] Guid? ItemId,
    [property: Id(4)] string DataJson,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] DateTimeOffset? ReadAt);

[GenerateSerializer, Alias("NeXChange.Notifications.NotificationPage")]
public sealed record NotificationPage(
    [property: Id(0)] IReadOnlyList<Notification> Items,
    [property: Id(1)] string? NextBefore,
    [property: Id(2)] int UnreadCount);
