using NeXChange.Credits;
using NeXChange.Users;

namespace NeXChange.Notifications;

/// <summary>
/// The credits module's notifications (SPEC.md 6.10). Event ids derive from the ledger transaction, so the
/// account grain publishes again on a replayed request: a retry after a failed publish (the request answered 500
/// and the idempotency record was released) fills the feed, and a retry after a good one adds nothing.
/// </summary>
public sealed class CreditNotices(Notifier notifier, UserStore users)
{
    /// <summary>The recipient sees the amount and the sender's display name; never the memo (free text between users) or the email.</summary>
    public async Task TransferReceived(Guid senderId, TransferOrder order, Guid transactionId)
    {
        var sender = await users.LoadAsync(senderId);
        await notifier.PublishAsync(new NotificationEvent(
            NotificationEvent.IdFor($"transaction:{transactionId}:{NotificationTypes.TransferReceived}"),
            NotificationTypes.TransferReceived, [order.RecipientId], TradeId: null, ItemId: null,
            new Dictionary<string, object?>
            {
                ["amountMinor"] = order.AmountMinor,
                ["counterpartyId"] = senderId.ToString(),
                ["counterpartyDisplayName"] = sender?.DisplayName,
            }));
    }

    /// <summary>The amount only: the admin's reason is an internal note.</summary>
    public Task GrantReceived(Guid userId, long amountMinor, Guid transactionId) =>
        notifier.PublishAsync(new NotificationEvent(
            NotificationEvent.IdFor($"transaction:{transactionId}:{NotificationTypes.GrantReceived}"),
            NotificationTypes.GrantReceived, [userId], TradeId: null, ItemId: null,
            new Dictionary<string, object?> { ["amountMinor"] = amountMinor }));
}
