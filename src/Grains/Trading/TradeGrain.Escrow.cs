using NeXChange.Audit;
using NeXChange.Credits;
using NeXChange.Errors;
using NeXChange.Items;
using NeXChange.Notifications;

namespace NeXChange.Trading;

/// <summary>
/// The saga steps that touch other grains (SPEC.md 6.5, 6.2 T13–T22). Each is recorded in <see cref="TradeState.Pending"/>
/// before it starts and cleared in the same write that records its outcome; the item and ledger calls are idempotent
/// by trade id (the item's reservation, the ledger's <c>trade:{id}:hold|release|refund|split</c> keys), so re-running a
/// step after a crash finishes it without a second effect.
/// </summary>
public sealed partial class TradeGrain
{
    public const string HoldStep = "hold";
    public const string ReleaseStep = "release";
    public const string RefundStep = "refund";
    public const string SplitStep = "split";

    public async Task<TradeView> Hold(TradeCaller caller)
    {
        var callerId = caller.UserId;
        await Begin(caller, TradeTransitions.Hold);
        if (!LocationAgreed || !S.TimeAgreed) throw TradeTransitions.InvalidTransition(S.Status);
        await TryHold(explicitCall: true);
        return await View(callerId);
    }

    /// <summary>
    /// The hold step: 1. the meetup is still ahead, 2. the item grants the reservation, 3. escrow_hold posts, 4.
    /// scheduled. A failure at 1 or 3 leaves the trade accepted with <c>escrowError</c>; the explicit
    /// <c>POST /hold</c> answers it as an error, the location and time calls answer 200 with the trade.
    /// </summary>
    private async Task TryHold(bool explicitCall)
    {
        if (S.MeetupAt is not { } meetup || meetup <= Now)
        {
            S.TimeAgreed = false;
            S.MeetupAt = null;
            await FailEscrow(ErrorCodes.MeetupTimePassed);
            if (explicitCall) throw new DomainException(ErrorCodes.MeetupTimePassed, "The meetup time has passed; agree a new one.");
            return;
        }
        S.Pending = new PendingStep(HoldStep, null, null);
        S.EscrowError = null;
        await Commit();
        await ResumePending(explicitCall);
    }

    private async Task ResumePending(bool explicitHold)
    {
        var step = S.Pending!;
        if (step.Kind == HoldStep) await ResumeHold(explicitHold);
        else await ResumeSettlement(step);
    }

    private async Task ResumeHold(bool explicitCall)
    {
        var reservation = await Item.Reserve(Id);
        if (reservation != Reservations.Granted)
        {
            S.Pending = null;
            if (reservation == Reservations.TakenByOther)
            {
                End(TradeStatuses.Declined, EndReasons.ItemReserved);
                Notify(NotificationTypes.OfferDeclined, Both, reason: EndReasons.ItemReserved);
            }
            else
            {
                End(TradeStatuses.Cancelled, EndReasons.ItemUnavailable);
                Notify(NotificationTypes.TradeCancelled, Both, reason: EndReasons.ItemUnavailable);
            }
            await Commit();
            if (explicitCall) throw TradeTransitions.InvalidTransition(S.Status);
            return;
        }
        try
        {
            await BuyerAccount.PlaceHold(Id, S.AgreedPriceMinor!.Value, S.FeeMinor!.Value);
        }
        catch (DomainException e) when (e.Code is ErrorCodes.InsufficientFunds or ErrorCodes.LimitExceeded)
        {
            await Item.EndReservation(Id, ItemWorkflow.ReleaseReservation);
            S.Pending = null;
            await FailEscrow(e.Code);
            if (explicitCall) throw;
            return;
        }
        var now = Now;
        S.Pending = null;
        S.Status = TradeStatuses.Scheduled;
        S.HeldAt = now;
        S.EscrowError = null;
        // Reminders that were already behind at hold time are not sent (SPEC.md 6.7).
        foreach (var (timer, before) in new[] { (TradeTimers.Reminder24h, TimeSpan.FromHours(24)), (TradeTimers.Reminder1h, TimeSpan.FromHours(1)) })
            if (S.MeetupAt!.Value - before <= now) S.RemindersSent.Add(timer);
        Notify(NotificationTypes.EscrowHeld, Both, S.AgreedPriceMinor);
        await Commit();
        await Audit(AuditActions.IdentityRevealed, null, new { buyerId = S.BuyerId, sellerId = S.SellerId });
        await DeclineOtherTrades();
    }

    private async Task FailEscrow(string error)
    {
        S.EscrowError = error;
        Notify(NotificationTypes.EscrowFailed, Both, reason: error);
        await Commit();
    }

    /// <summary>T9 for the item's other open trades, once escrow is held here (one-way: this trade never waits on them).</summary>
    private async Task DeclineOtherTrades()
    {
        foreach (var other in await store.OpenTradesOnItemAsync(S.ItemId))
            if (other != Id) await GrainFactory.GetGrain<ITradeGrain>(other).OnItemReserved();
        S.OtherTradesDeclined = true;
        await persisted.WriteStateAsync();
    }

    /// <summary>
    /// Ends a held trade: the new state and the pending movement are written first, then the ledger and the item
    /// follow; a crash in between is finished by <see cref="ResumePending"/>.
    /// </summary>
    private async Task Settle(string status, string reason, string movement, string itemAction, long? refundMinor = null)
    {
        End(status, reason);
        S.CancelRequestedBy = null;
        S.Pending = new PendingStep(movement, itemAction, refundMinor);
        await Commit();
        await ResumeSettlement(S.Pending);
    }

    private async Task ResumeSettlement(PendingStep step)
    {
        var posted = step.Kind switch
        {
            ReleaseStep => await BuyerAccount.ReleaseHold(Id, S.SellerId),
            RefundStep => await BuyerAccount.RefundHold(Id),
            _ => await BuyerAccount.SplitHold(Id, S.SellerId, step.RefundMinor!.Value),
        };
        await Item.EndReservation(Id, step.ItemAction!);
        S.Pending = null;
        S.SettlementTransactionId = posted.TransactionId;
        await Commit();
    }
}
