using NeXChange.Credits;
using NeXChange.Errors;
using NeXChange.Items;
using NeXChange.Notifications;
using NeXChange.Users;

namespace NeXChange.Trading;

/// <summary>Offer, counter, accept, decline, withdraw (SPEC.md 6.2 T1–T7, 6.3).</summary>
public sealed partial class TradeGrain
{
    public const long MinTradePriceMinor = 100;

    public async Task<TradeView> Offer(OfferRequest offer)
    {
        if (Exists)
        {
            // The same offer again (a retried call) is answered with the trade; anything else is not a new offer.
            if (S.BuyerId == offer.BuyerId && S.ItemId == offer.ItemId && S.OfferMinor == offer.OfferMinor) return await View(offer.BuyerId);
            throw TradeTransitions.InvalidTransition(S.Status);
        }
        EnsurePrice("offerMinor", offer.OfferMinor);
        await EnsureEmailVerified(offer.BuyerId);
        var item = await GrainFactory.GetGrain<IItemGrain>(offer.ItemId).Get(new Viewer(offer.BuyerId, false));
        if (item.OwnerId == offer.BuyerId) throw new DomainException(ErrorCodes.Forbidden, "You cannot make an offer on your own item.");
        if (item.Status != ItemStatuses.Active) throw Items.ItemWorkflow.InvalidTransition(item.Status);
        var fee = fees.FeeFor(offer.OfferMinor);
        await GrainFactory.GetGrain<ICreditAccountGrain>(offer.BuyerId).CheckCanHold(offer.OfferMinor, fee);

        var now = Now;
        var s = S;
        s.ItemId = offer.ItemId;
        s.BuyerId = offer.BuyerId;
        s.SellerId = item.OwnerId;
        s.Status = TradeStatuses.Offered;
        s.OfferMinor = offer.OfferMinor;
        s.ExpiresAt = now + TradeTimers.OfferLifetime;
        s.ItemTitle = item.Title;
        s.CoverThumbUrl = item.Photos.Count > 0 ? item.Photos[0].Urls.Thumb : null;
        s.CreatedAt = now;
        s.UpdatedAt = now;
        s.Version = 1;
        if (!await store.ClaimOfferAsync(Id, s))
        {
            persisted.State = new TradeState();
            throw new DomainException(ErrorCodes.TradeExists, "You already have an open trade on this item.");
        }
        Notify(NotificationTypes.OfferReceived, [s.SellerId], s.OfferMinor);
        s.Version = 0; // Commit makes it 1, the version the claim row carries.
        await Commit();
        return await View(offer.BuyerId);
    }

    public async Task<TradeView> Counter(TradeCaller caller, long counterMinor)
    {
        var callerId = caller.UserId;
        await Begin(caller, TradeTransitions.Counter);
        await EnsureExpiresLater();
        EnsurePrice("counterMinor", counterMinor);
        if (counterMinor == S.OfferMinor)
            throw DomainException.Validation("counterMinor", FieldCodes.InvalidValue, "A counter must differ from the offer.");
        await EnsureEmailVerified(callerId);
        S.Status = TradeStatuses.Countered;
        S.CounterMinor = counterMinor;
        S.ExpiresAt = Now + TradeTimers.OfferLifetime;
        Notify(NotificationTypes.OfferCountered, [S.BuyerId], counterMinor);
        await Commit();
        return await View(callerId);
    }

    public async Task<TradeView> Accept(TradeCaller caller)
    {
        var callerId = caller.UserId;
        var role = await Begin(caller, TradeTransitions.Accept);
        await EnsureExpiresLater();
        if (role == TradeActor.Seller) await EnsureEmailVerified(callerId);
        var price = S.Status == TradeStatuses.Countered ? S.CounterMinor!.Value : S.OfferMinor;
        var fee = fees.FeeFor(price);
        // T4: the buyer accepting a counter must be able to pay it (T3 was checked when the buyer offered).
        if (role == TradeActor.Buyer) await BuyerAccount.CheckCanHold(price, fee);
        var buyerArea = await LoadAreaOf(S.BuyerId);
        var sellerArea = await LoadAreaOf(S.SellerId);
        S.Status = TradeStatuses.Accepted;
        S.AgreedPriceMinor = price;
        S.FeeMinor = fee;
        S.AcceptedAt = Now;
        S.ExpiresAt = null;
        S.BuyerArea = buyerArea;
        S.SellerArea = sellerArea;
        Notify(NotificationTypes.OfferAccepted, [PartnerOf(role)], price);
        await Commit();
        return await View(callerId);
    }

    public async Task<TradeView> Decline(TradeCaller caller)
    {
        var callerId = caller.UserId;
        var role = await Begin(caller, TradeTransitions.Decline);
        End(TradeStatuses.Declined, role == TradeActor.Seller ? EndReasons.DeclinedBySeller : EndReasons.DeclinedByBuyer);
        Notify(NotificationTypes.OfferDeclined, [PartnerOf(role)]);
        await Commit();
        return await View(callerId);
    }

    public async Task<TradeView> Withdraw(TradeCaller caller)
    {
        var callerId = caller.UserId;
        await Begin(caller, TradeTransitions.Withdraw);
        End(TradeStatuses.Withdrawn, EndReasons.Withdrawn);
        Notify(NotificationTypes.OfferWithdrawn, [S.SellerId]);
        await Commit();
        return await View(callerId);
    }

    // The item's one-way news is a nudge: the catch-up reads the item itself (FollowItem), so a trade read right after
    // the item changed shows it even when the nudge has not arrived yet.
    public async Task OnItemReserved()
    {
        if (Exists) await Catchup();
    }

    public async Task OnItemUnavailable()
    {
        if (Exists) await Catchup();
    }

    public async Task OnAccountDeleted()
    {
        if (!Exists) return;
        await Catchup();
        if (!TradeTransitions.Applies(S.Status, TradeTransitions.AccountDeleted)) return;
        End(TradeStatuses.Cancelled, EndReasons.AccountDeleted);
        Notify(NotificationTypes.TradeCancelled, Both, reason: EndReasons.AccountDeleted);
        await Commit();
    }

    /// <summary>
    /// T9/T10 before escrow: an item reserved by another trade declines this one, an item that left active for any
    /// other state cancels it. It runs after this trade's own unfinished hold step, so a reservation of this trade's
    /// has already made it scheduled by then.
    /// </summary>
    private async Task FollowItem()
    {
        var item = await Item.Get(SystemViewer);
        if (item.Status == ItemStatuses.Active) return;
        if (item.Status == ItemStatuses.Reserved)
        {
            End(TradeStatuses.Declined, EndReasons.ItemReserved);
            Notify(NotificationTypes.OfferDeclined, Both, reason: EndReasons.ItemReserved);
            await Commit();
            return;
        }
        await EndItemUnavailable();
    }

    private async Task EndItemUnavailable()
    {
        End(TradeStatuses.Cancelled, EndReasons.ItemUnavailable);
        Notify(NotificationTypes.TradeCancelled, Both, reason: EndReasons.ItemUnavailable);
        await Commit();
    }


    /// <summary>T2–T4 need <c>now &lt; expiresAt</c>; an expired offer has already been moved by the catch-up.</summary>
    private Task EnsureExpiresLater() =>
        S.ExpiresAt is { } expires && Now >= expires ? throw TradeTransitions.InvalidTransition(S.Status) : Task.CompletedTask;

    /// <summary>The trade reads its item whatever the item's visibility, as the system.</summary>
    private static readonly Viewer SystemViewer = new(null, IsModerator: true);

    private void EnsurePrice(string field, long priceMinor)
    {
        if (priceMinor < MinTradePriceMinor)
            throw DomainException.Validation(field, FieldCodes.OutOfRange, $"{field} must be at least {MinTradePriceMinor}.");
        // Above the single-movement maximum the hold could never be placed (SPEC.md 2.6): 422, as the ledger says it.
        var max = limits.Value.SingleMovementMaxMinor;
        if (priceMinor > max) throw Refusals.AmountLimit("single_movement_max", max, max);
    }

    private async Task EnsureEmailVerified(Guid userId)
    {
        var identity = await GrainFactory.GetGrain<IUserGrain>(userId).GetIdentity();
        if (!identity.EmailVerified) throw new DomainException(ErrorCodes.EmailNotVerified, "Verify your email address first.");
    }

    private async Task<AreaPoint?> LoadAreaOf(Guid userId) =>
        await GrainFactory.GetGrain<IUserGrain>(userId).GetArea() is { Lat: { } lat, Lng: { } lng } ? new AreaPoint((double)lat, (double)lng) : null;
}
