using NeXChange.Users;

namespace NeXChange.Trading;

/// <summary>The trade as SPEC.md 6.1 shows it to a party (or, with no viewer, to a moderator).</summary>
public sealed partial class TradeGrain
{
    private async Task<TradeView> View(Guid? viewerId)
    {
        TradeActor? role = viewerId == S.BuyerId ? TradeActor.Buyer : viewerId == S.SellerId ? TradeActor.Seller : null;
        PublicProfileLite? counterparty = null, buyer = null, seller = null;
        if (role is { } r) counterparty = await ProfileLite(PartnerOf(r));
        else
        {
            buyer = await ProfileLite(S.BuyerId);
            seller = await ProfileLite(S.SellerId);
        }
        var location = role is { } side
            ? new LocationView(PickView(PickOf(side), side), PickView(PickOf(Partner(side)), side), LocationAgreed)
            : new LocationView(PickView(S.BuyerPick, null), PickView(S.SellerPick, null), LocationAgreed);
        return new TradeView(Id, S.ItemId, new TradeItemView(S.ItemTitle, S.CoverThumbUrl), S.BuyerId, S.SellerId,
            role is { } me ? RoleName(me) : null, counterparty, S.Status, S.OfferMinor, S.CounterMinor, S.AgreedPriceMinor, S.FeeMinor,
            S.ExpiresAt, location, new TimeView(S.ProposedAt, S.ProposedBy, S.TimeAgreed), S.MeetupAt, S.AcceptedAt, S.HeldAt,
            new ArrivalView(S.BuyerArrivedAt, S.SellerArrivedAt), new HandoffView(S.BuyerConfirmedAt, S.SellerConfirmedAt),
            S.CancelRequestedBy, S.EscrowError, S.DisputeId, S.Resolution, S.EndReason, S.EndedAt, S.NoShowParty,
            S.CreatedAt, S.UpdatedAt, S.Version, buyer, seller);
    }

    /// <summary>
    /// A pick with its distance from the viewer's own area. Custom coordinates are tier-3 data shown only to the
    /// two parties (SPEC.md 3.6, 6.4); a moderator (no viewer side) sees that a custom place was picked, not where.
    /// </summary>
    private PickView? PickView(Pick? pick, TradeActor? viewer)
    {
        if (pick is null) return null;
        var custom = pick.Type == LocationChoice.Custom && viewer is not null ? new CustomPoint(pick.Lat, pick.Lng) : null;
        return new PickView(pick.Type, pick.Zone, custom, viewer is { } v ? DistanceFrom(v, pick) : null);
    }

    /// <summary>A deleted user appears as "Deleted user" with no avatar (SPEC.md 3.6).</summary>
    private async Task<PublicProfileLite> ProfileLite(Guid userId) =>
        PublicProfileLite.Of(userId, await GrainFactory.GetGrain<IUserGrain>(userId).GetPublicProfile());
}
