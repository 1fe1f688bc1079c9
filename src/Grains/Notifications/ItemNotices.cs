using Microsoft.Extensions.Logging;
using NeXChange.Items;

namespace NeXChange.Notifications;

/// <summary>The items module's notification: <c>item_review</c> to the owner when an item goes to review (SPEC.md 4.3 I3, I4).</summary>
public sealed class ItemNotices(Notifier notifier, ILogger<ItemNotices> logger)
{
    /// <summary>
    /// Keyed by item and version, so a repeat of the same change adds nothing. The reason is a code: a moderator's
    /// note stays with the moderators. A failure is only logged: the item's change is committed and a retry of the
    /// request would be refused, so failing it would tell the owner their change was lost when it was not.
    /// </summary>
    public async Task ItemReview(ItemRecord item)
    {
        try
        {
            await notifier.PublishAsync(new NotificationEvent(
                NotificationEvent.IdFor($"item:{item.Id}:v{item.Version}:{NotificationTypes.ItemReview}"),
                NotificationTypes.ItemReview, [item.OwnerId], TradeId: null, item.Id,
                new Dictionary<string, object?>
                {
                    ["itemTitle"] = item.Fields.Title,
                    ["reason"] = item.ReviewReason == ItemGrain.RecallReason ? ItemGrain.RecallReason : "moderator_flag",
                }));
        }
        catch (Exception e)
        {
            logger.LogError(e, "Notification item_review for item {ItemId} version {Version} could not be published", item.Id, item.Version);
        }
    }
}
