using NeXChange.Conversion;

namespace NeXChange.Notifications;

/// <summary>
/// <c>conversion_completed</c> / <c>conversion_failed</c> (SPEC.md 7.4) to the conversion's owner. Event ids derive from
/// the conversion and the outcome, so a repeated event publishes nothing new.
/// </summary>
public sealed class ConversionNotices(Notifier notifier)
{
    public Task Ended(ConversionRecord conversion, string status, string? failureReason)
    {
        var type = status == ConversionStatuses.Completed ? NotificationTypes.ConversionCompleted : NotificationTypes.ConversionFailed;
        return notifier.PublishAsync(new NotificationEvent(
            NotificationEvent.IdFor($"conversion:{conversion.Id}:{type}"), type, [conversion.UserId], TradeId: null, ItemId: null,
            new Dictionary<string, object?>
            {
                ["conversionId"] = conversion.Id.ToString(),
                ["direction"] = conversion.Direction,
                ["amountMinor"] = conversion.AmountMinor,
                ["btcSats"] = conversion.BtcSats,
                ["failureReason"] = failureReason,
            }));
    }
}
