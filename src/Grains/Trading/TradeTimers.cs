using static NeXChange.Trading.TradeStatuses;

namespace NeXChange.Trading;

/// <summary>
/// The timers of SPEC.md 6.7 as a function of the trade's state: which one is due next and when. A timer that has
/// done its work no longer appears, so firing late, twice or after the state moved on does nothing.
/// </summary>
public static class TradeTimers
{
    public const string OfferExpiry = "offer_expiry";
    public const string SchedulingTimeout = "scheduling_timeout";
    public const string Reminder24h = "meetup_reminder_24h";
    public const string Reminder1h = "meetup_reminder_1h";
    public const string ArrivalClose = "arrival_close";
    public const string AutoComplete = "auto_complete";
    public const string AutoCancel = "auto_cancel";
    public const string DisputeEscalation = "dispute_escalation";
    public const string FeedbackClose = "feedback_close";

    public static readonly TimeSpan OfferLifetime = TimeSpan.FromHours(48);
    public static readonly TimeSpan SchedulingWindow = TimeSpan.FromDays(7);
    public static readonly TimeSpan ArrivalOpensBefore = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan ArrivalClosesAfter = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan OnTimeUntil = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan HandoffWindowAfter = TimeSpan.FromDays(7);
    public static readonly TimeSpan AutoCompleteAfter = TimeSpan.FromDays(7);
    public static readonly TimeSpan HoldLifetime = TimeSpan.FromDays(30);
    public static readonly TimeSpan EscalationAfter = TimeSpan.FromHours(72);
    public static readonly TimeSpan FeedbackWindow = TimeSpan.FromDays(7);

    public sealed record Due(string Timer, DateTimeOffset At);

    /// <summary>The earliest timer still to fire, or null.</summary>
    public static Due? Next(TradeState s) => Pending(s).MinBy(d => d.At);

    private static IEnumerable<Due> Pending(TradeState s)
    {
        switch (s.Status)
        {
            case Offered or Countered when s.ExpiresAt is { } expires:
                yield return new(OfferExpiry, expires);
                break;
            case Accepted when s.AcceptedAt is { } accepted:
                yield return new(SchedulingTimeout, accepted + SchedulingWindow);
                break;
            case Scheduled when s.MeetupAt is { } meetup && s.HeldAt is { } held:
                if (!s.RemindersSent.Contains(Reminder24h)) yield return new(Reminder24h, meetup - TimeSpan.FromHours(24));
                if (!s.RemindersSent.Contains(Reminder1h)) yield return new(Reminder1h, meetup - TimeSpan.FromHours(1));
                if (!s.ArrivalClosed) yield return new(ArrivalClose, meetup + ArrivalClosesAfter);
                if (FirstConfirmation(s) is { } first) yield return new(AutoComplete, first + AutoCompleteAfter);
                yield return new(AutoCancel, held + HoldLifetime);
                break;
            case Disputed when s.Dispute is { Escalated: false } dispute:
                yield return new(DisputeEscalation, dispute.CreatedAt + EscalationAfter);
                break;
        }
        if (FeedbackEligible(s) && !s.FeedbackWindowClosed && s.EndedAt is { } ended) yield return new(FeedbackClose, ended + FeedbackWindow);
    }

    /// <summary>Feedback is for completed trades and disputes resolved by release or partial refund (SPEC.md 6.9).</summary>
    public static bool FeedbackEligible(TradeState s) =>
        s.Status == Completed || (s.Status == Resolved && s.Resolution is DisputeResolutions.Release or DisputeResolutions.RefundPartial);

    /// <summary>The confirmation that arms auto-complete: set when exactly one party has confirmed the handoff.</summary>
    public static DateTimeOffset? FirstConfirmation(TradeState s) =>
        (s.BuyerConfirmedAt, s.SellerConfirmedAt) switch
        {
            ({ } b, null) => b,
            (null, { } x) => x,
            _ => null,
        };
}
