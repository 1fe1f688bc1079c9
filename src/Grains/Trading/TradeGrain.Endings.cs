using NeXChange.Audit;
using NeXChange.Errors;
using NeXChange.Items;
using NeXChange.Notifications;

namespace NeXChange.Trading;

/// <summary>Handoff, rejection, the three party cancels, the moderator cancel and the timed transitions (SPEC.md 6.2, 6.7).</summary>
public sealed partial class TradeGrain
{
    public async Task<TradeView> Handoff(TradeCaller caller)
    {
        var callerId = caller.UserId;
        var role = await Begin(caller, TradeTransitions.Handoff);
        EnsureInHandoffWindow();
        var now = Now;
        if (role == TradeActor.Buyer)
        {
            if (S.BuyerConfirmedAt is not null) throw TradeTransitions.InvalidTransition(S.Status);
            S.BuyerConfirmedAt = now;
            S.BuyerArrivedAt ??= now;
        }
        else
        {
            if (S.SellerConfirmedAt is not null) throw TradeTransitions.InvalidTransition(S.Status);
            S.SellerConfirmedAt = now;
            S.SellerArrivedAt ??= now;
        }
        S.CancelRequestedBy = null;
        if (S.BuyerConfirmedAt is null || S.SellerConfirmedAt is null)
        {
            Notify(NotificationTypes.HandoffConfirmed, [PartnerOf(role)]);
            await Commit();
        }
        else
        {
            Notify(NotificationTypes.TradeCompleted, Both, S.AgreedPriceMinor);
            await Settle(TradeStatuses.Completed, EndReasons.CompletedByParties, ReleaseStep, ItemWorkflow.CompleteTrade);
        }
        return await View(callerId);
    }

    public async Task<TradeView> RejectItem(TradeCaller caller, string? details)
    {
        var callerId = caller.UserId;
        await Begin(caller, TradeTransitions.RejectItem);
        EnsureInHandoffWindow();
        if (S.BuyerConfirmedAt is not null) throw TradeTransitions.InvalidTransition(S.Status);
        // The details are for moderators only (SPEC.md 8.4): kept in the audit log, never shown to the seller.
        await Audit(AuditActions.ItemRejected, callerId, new { reason = EndReasons.NotAsDescribed, details });
        S.AtFault = SellerRole;
        Notify(NotificationTypes.TradeCancelled, Both, reason: EndReasons.NotAsDescribed);
        await Settle(TradeStatuses.Cancelled, EndReasons.NotAsDescribed, RefundStep, ItemWorkflow.ReleaseReservation);
        return await View(callerId);
    }

    public async Task<TradeView> Cancel(TradeCaller caller, string reason)
    {
        var callerId = caller.UserId;
        switch (reason)
        {
            case CancelReasons.ChangedMind:
                var role = await Begin(caller, TradeTransitions.CancelChangedMind);
                End(TradeStatuses.Cancelled, EndReasons.ChangedMind);
                Notify(NotificationTypes.TradeCancelled, [PartnerOf(role)], reason: EndReasons.ChangedMind);
                await Commit();
                break;
            case CancelReasons.Mutual:
                await CancelMutually(await Begin(caller, TradeTransitions.CancelMutual));
                break;
            case CancelReasons.NoShow:
                await CancelForNoShow(await Begin(caller, TradeTransitions.CancelNoShow));
                break;
            default:
                throw DomainException.Validation("reason", FieldCodes.UnknownValue, "reason is one of changed_mind, mutual, no_show.");
        }
        return await View(callerId);
    }

    public async Task<TradeView> CancelByModerator(Guid moderatorId, string note, string atFault)
    {
        if (!Exists) throw DomainException.NotFound();
        await Catchup();
        TradeTransitions.Check(S.Status, TradeTransitions.ModeratorCancel, TradeActor.Moderator);
        S.AtFault = atFault;
        await Audit(AuditActions.TradeCancelledByModerator, moderatorId, new { note, atFault });
        Notify(NotificationTypes.TradeCancelled, Both, reason: EndReasons.ModeratorCancel);
        await Settle(TradeStatuses.Cancelled, EndReasons.ModeratorCancel, RefundStep, ItemWorkflow.ReleaseReservation);
        return await View(null);
    }

    /// <summary>T17: the first request is recorded and answered with the trade still scheduled; the other party's ends it.</summary>
    private async Task CancelMutually(TradeActor role)
    {
        var mine = RoleName(role);
        if (S.CancelRequestedBy is null)
        {
            S.CancelRequestedBy = mine;
            Notify(NotificationTypes.CancelRequested, [PartnerOf(role)]);
            await Commit();
            return;
        }
        if (S.CancelRequestedBy == mine) return;
        Notify(NotificationTypes.TradeCancelled, Both, reason: EndReasons.Mutual);
        await Settle(TradeStatuses.Cancelled, EndReasons.Mutual, RefundStep, ItemWorkflow.ReleaseReservation);
    }

    /// <summary>T16: after the arrival window, a party who arrived in it ends the trade when the other did neither arrive nor confirm.</summary>
    private async Task CancelForNoShow(TradeActor role)
    {
        var meetup = S.MeetupAt!.Value;
        if (Now <= meetup + TradeTimers.ArrivalClosesAfter)
            throw new DomainException(ErrorCodes.OutsideTimeWindow, "A no-show can be reported once the arrival window has closed.");
        var (myArrival, theirArrival, theirConfirmation) = role == TradeActor.Buyer
            ? (S.BuyerArrivedAt, S.SellerArrivedAt, S.SellerConfirmedAt)
            : (S.SellerArrivedAt, S.BuyerArrivedAt, S.BuyerConfirmedAt);
        var arrivedInWindow = myArrival is { } at && at >= meetup - TradeTimers.ArrivalOpensBefore && at <= meetup + TradeTimers.ArrivalClosesAfter;
        if (!arrivedInWindow || theirArrival is not null || theirConfirmation is not null) throw TradeTransitions.InvalidTransition(S.Status);
        var absent = RoleName(Partner(role));
        S.NoShowParty = absent;
        S.AtFault = absent;
        Notify(NotificationTypes.TradeCancelled, Both, reason: EndReasons.NoShow);
        await Settle(TradeStatuses.Cancelled, EndReasons.NoShow, RefundStep, ItemWorkflow.ReleaseReservation);
    }

    private void EnsureInHandoffWindow()
    {
        var meetup = S.MeetupAt!.Value;
        var now = Now;
        if (now < meetup - TradeTimers.ArrivalOpensBefore || now > meetup + TradeTimers.HandoffWindowAfter)
            throw new DomainException(ErrorCodes.OutsideTimeWindow, "Handoff and rejection are possible from 15 minutes before the meetup until 7 days after.");
    }

    /// <summary>One timed transition of SPEC.md 6.7; only called for a timer <see cref="TradeTimers.Next"/> reports as due.</summary>
    private async Task Fire(TradeTimers.Due due)
    {
        switch (due.Timer)
        {
            case TradeTimers.OfferExpiry:
                End(TradeStatuses.Expired, EndReasons.OfferExpired);
                Notify(NotificationTypes.OfferExpired, Both);
                await Commit();
                break;
            case TradeTimers.SchedulingTimeout:
                End(TradeStatuses.Cancelled, EndReasons.SchedulingTimeout);
                Notify(NotificationTypes.TradeCancelled, Both, reason: EndReasons.SchedulingTimeout);
                await Commit();
                break;
            case TradeTimers.Reminder24h or TradeTimers.Reminder1h:
                S.RemindersSent.Add(due.Timer);
                Notify(NotificationTypes.MeetupReminder, Both);
                await Commit();
                break;
            case TradeTimers.ArrivalClose:
                CloseArrivalWindow();
                await Commit();
                break;
            case TradeTimers.AutoComplete:
                Notify(NotificationTypes.TradeCompleted, Both, S.AgreedPriceMinor);
                await Settle(TradeStatuses.Completed, EndReasons.AutoCompleted, ReleaseStep, ItemWorkflow.CompleteTrade);
                break;
            case TradeTimers.AutoCancel:
                S.AtFault = BothAtFault;
                Notify(NotificationTypes.TradeCancelled, Both, reason: EndReasons.HoldTimeout);
                await Settle(TradeStatuses.Cancelled, EndReasons.HoldTimeout, RefundStep, ItemWorkflow.ReleaseReservation);
                break;
            case TradeTimers.DisputeEscalation:
                await EscalateDispute();
                break;
            case TradeTimers.FeedbackClose:
                S.FeedbackWindowClosed = true;
                Notify(NotificationTypes.FeedbackVisible, Both);
                await Commit();
                break;
        }
    }

    /// <summary>Reputation counts a hold timeout against both parties (SPEC.md 6.9).</summary>
    public const string BothAtFault = "both";

    /// <summary>Records on-time or missed arrival for both; tells a lone arriver they may report a no-show.</summary>
    private void CloseArrivalWindow()
    {
        var onTimeUntil = S.MeetupAt!.Value + TradeTimers.OnTimeUntil;
        S.ArrivalClosed = true;
        S.BuyerOnTime = S.BuyerArrivedAt is { } b && b <= onTimeUntil;
        S.SellerOnTime = S.SellerArrivedAt is { } x && x <= onTimeUntil;
        if ((S.BuyerArrivedAt is null) != (S.SellerArrivedAt is null))
            Notify(NotificationTypes.NoShowPossible, [S.BuyerArrivedAt is not null ? S.BuyerId : S.SellerId]);
    }
}
