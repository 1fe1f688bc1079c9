using Microsoft.Extensions.Logging;

namespace NeXChange.Conversion;

/// <summary>
/// What follows an execution without a caller: asking the partner to pay (at once, then after 2, 4 and 8 s on a
/// transient error; SPEC.md 7.3) and expiring top-ups whose deposit window closed. A reminder runs every minute while
/// any of it is open, so a crash between the start posting and the payout request only delays the request. After the
/// last attempt a cash-out stays <c>pending_payout</c>, never refunded without the partner's word; reconciliation lists
/// it after 24 h.
/// </summary>
public sealed partial class ConversionDeskGrain
{
    private const string WorkReminder = "conversion-work";

    /// <summary>The first request and three retries.</summary>
    public const int PayoutAttempts = 4;

    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    private readonly HashSet<Guid> payoutsScheduled = [];

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != WorkReminder) return;
        await ExpireDueAsync();
        var open = await conversions.OpenWorkAsync(UserId, PayoutAttempts);
        foreach (var cashOut in open.Where(c => c.IsCashOut)) SchedulePayout(cashOut.Id, TimeSpan.Zero);
        if (open.Count == 0 && await this.GetReminder(WorkReminder) is { } reminder) await this.UnregisterReminder(reminder);
    }

    private async Task KeepWorkingAsync() => await this.RegisterOrUpdateReminder(WorkReminder, ReminderPeriod, ReminderPeriod);

    /// <summary>One payout request per conversion at a time, each in its own turn of the grain.</summary>
    private void SchedulePayout(Guid conversionId, TimeSpan due)
    {
        if (!payoutsScheduled.Add(conversionId)) return;
        this.RegisterGrainTimer(async () =>
        {
            payoutsScheduled.Remove(conversionId);
            await RequestPayoutAsync(conversionId);
        }, new GrainTimerCreationOptions(due, Timeout.InfiniteTimeSpan));
    }

    private async Task RequestPayoutAsync(Guid conversionId)
    {
        var row = await conversions.FindAsync(UserId, conversionId);
        if (row is not { Status: ConversionStatuses.PendingPayout, PayoutAcceptedAt: null } || row.PayoutAttempts >= PayoutAttempts) return;
        PayoutAnswer answer;
        try
        {
            answer = await CallPartnerAsync(token => partner.RequestPayoutAsync(new PayoutRequest(row.Id, row.BtcSats, row.PayoutAddress!), token));
        }
        catch (Exception e)
        {
            // Unknown outcome: ask again (the partner dedupes by conversion id); never refund on it.
            var attempts = await conversions.CountPayoutAttemptAsync(row.Id);
            if (attempts < PayoutAttempts)
            {
                logger.LogWarning(e, "Payout request for conversion {ConversionId} failed (attempt {Attempt}); retrying", row.Id, attempts);
                SchedulePayout(row.Id, TimeSpan.FromSeconds(custody.Value.RetryBaseSeconds * (1 << (attempts - 1))));
            }
            else
            {
                logger.LogError(e, "Payout request for conversion {ConversionId} failed {Attempts} times; it stays pending_payout for the operator",
                    row.Id, attempts);
            }
            return;
        }
        if (answer.Accepted) await conversions.MarkPayoutAcceptedAsync(row.Id, Now());
        else await EndAsync(row, ConversionStatuses.Failed, partnerTxId: null, answer.RefusalReason ?? "payout_refused");
    }

    /// <summary>Expires the top-ups whose deposit window closed; each ends its duplicate guard.</summary>
    private async Task ExpireDueAsync()
    {
        foreach (var expired in await conversions.ExpireDueAsync(UserId, Now()))
            await guard.ReleaseAsync(UserId, expired.Direction, expired.AmountMinor);
    }
}
