using Microsoft.Extensions.DependencyInjection;
using NeXChange.Errors;
using NeXChange.Hosting;
using NeXChange.Paging;
using Orleans.Concurrency;

namespace NeXChange.Notifications;

/// <summary>
/// A user's feed over the notifications table. It keeps no state (the table is the truth and many grains write
/// it), so any silo answers a poll locally.
/// </summary>
[StatelessWorker]
public sealed class NotificationFeedGrain(NotificationStore store, [FromKeyedServices(Clocks.Domain)] TimeProvider time)
    : Grain, INotificationFeedGrain
{
    public const int MaxIds = 100;

    private Guid RecipientId => this.GetPrimaryKey();

    /// <summary>The cursor is bound to the recipient: another user's cursor is invalid_cursor, never a peek.</summary>
    private string Scope => $"notifications:{RecipientId}";

    public async Task<NotificationPage> List(bool unreadOnly, string? before, int limit)
    {
        if (limit is < 1 or > 100) throw DomainException.Validation("limit", FieldCodes.OutOfRange, "limit must be between 1 and 100.");
        Guid? beforeId = before is null ? null : new Guid(Cursor.Decode(Scope, before, 16), bigEndian: true);
        var rows = await store.ListAsync(RecipientId, unreadOnly, beforeId, limit + 1);
        var page = rows.Take(limit).ToList();
        var next = rows.Count > limit ? Cursor.Encode(Scope, page[^1].Id.ToByteArray(bigEndian: true)) : null;
        return new NotificationPage(page, next, await store.CountUnreadAsync(RecipientId));
    }

    public Task MarkRead(IReadOnlyList<Guid> ids)
    {
        if (ids.Count > MaxIds) throw DomainException.Validation("ids", FieldCodes.TooLong, $"At most {MaxIds} ids at a time.");
        return ids.Count == 0 ? Task.CompletedTask : store.MarkReadAsync(RecipientId, ids, time.GetUtcNow());
    }

    public Task MarkAllRead() => store.MarkReadAsync(RecipientId, ids: null, time.GetUtcNow());
}
