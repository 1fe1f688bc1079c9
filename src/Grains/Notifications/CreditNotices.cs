using Microsoft.Extensions.DependencyInjection;
using NeXChange.Credits;
using NeXChange.Hosting;

namespace NeXChange.Notifications;

/// <summary>
/// The credits module's notifications (SPEC.md 6.10), written with the posting they announce
/// (<see cref="LedgerPosting.Notice"/>): the feed entry exists exactly when the credits moved, whatever crashes, and a
/// replayed request (which posts nothing) adds nothing. Event ids derive from the posting's ledger key.
/// </summary>
public sealed class CreditNotices([FromKeyedServices(Clocks.Domain)] TimeProvider time)
{
    /// <summary>The recipient sees the amount and the sender's display name; never the memo (free text between users) or the email.</summary>
    public LedgerPosting WithTransferReceived(LedgerPosting transfer, Guid senderId, string? senderDisplayName, TransferOrder order) =>
        transfer with
        {
            Notice = Notice(transfer, NotificationTypes.TransferReceived, order.RecipientId, new Dictionary<string, object?>
            {
                ["amountMinor"] = order.AmountMinor,
                ["counterpartyId"] = senderId.ToString(),
                ["counterpartyDisplayName"] = senderDisplayName,
            }),
        };

    /// <summary>The amount only: the admin's reason is an internal note.</summary>
    public LedgerPosting WithGrantReceived(LedgerPosting grant, Guid userId, long amountMinor) =>
        grant with
        {
            Notice = Notice(grant, NotificationTypes.GrantReceived, userId, new Dictionary<string, object?> { ["amountMinor"] = amountMinor }),
        };

    private PostingNotice Notice(LedgerPosting posting, string type, Guid recipient, IReadOnlyDictionary<string, object?> data) =>
        Notifier.ForPosting(new NotificationEvent(NotificationEvent.IdFor($"ledger:{posting.IdempotencyKey}:{type}"), type, [recipient],
            TradeId: null, ItemId: null, data), time.GetUtcNow());
}
