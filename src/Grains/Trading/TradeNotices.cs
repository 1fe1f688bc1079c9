using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using NeXChange.Notifications;

namespace NeXChange.Trading;

/// <summary>
/// Publishes a trade's outbox. Each notice carries an event id derived from the trade, type and version, so a
/// re-publish after a crash (the outbox is persisted with the change that raised it) adds nothing new.
/// </summary>
public sealed class TradeNotices(Notifier notifier, ILogger<TradeNotices> logger)
{
    public static Guid EventIdFor(Guid tradeId, string type, long version)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"trade:{tradeId:N}:{type}:{version}"));
        return new Guid(hash.AsSpan(0, 16));
    }

    /// <summary>
    /// Publishes and removes what is in the outbox. A store that is down leaves the rest for the next change or
    /// activation: the trade's own change is already durable, so the caller is not failed for a notification.
    /// </summary>
    public async Task PublishAsync(Guid tradeId, TradeState s)
    {
        foreach (var notice in s.Outbox.ToList())
        {
            var data = new Dictionary<string, object?> { ["itemTitle"] = s.ItemTitle };
            if (notice.AmountMinor is { } amount) data["amountMinor"] = amount;
            if (notice.Reason is { } reason) data["reason"] = reason;
            try
            {
                await notifier.PublishAsync(new NotificationEvent(notice.EventId, notice.Type, notice.Recipients, tradeId, s.ItemId, data));
                s.Outbox.Remove(notice);
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
            {
                logger.LogWarning(e, "Notifications of trade {TradeId} are behind; they are re-sent with its next change", tradeId);
                return;
            }
        }
    }
}
