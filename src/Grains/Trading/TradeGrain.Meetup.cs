using NeXChange.Audit;
using NeXChange.Errors;
using NeXChange.Notifications;
using NeXChange.Search;
using NeXChange.Users;

namespace NeXChange.Trading;

/// <summary>Meeting place, meeting time, the meetup package and arrival (SPEC.md 6.4–6.6).</summary>
public sealed partial class TradeGrain
{
    public const double DistanceConfirmationMi = 5;
    public const double KmPerMile = 1.609344;
    private static readonly TimeSpan MinimumNotice = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan LatestMeetup = TimeSpan.FromDays(7);

    private static readonly string[] SafetyTips =
    [
        "Meet at the agreed place during its opening hours; do not change the place at the last minute.",
        "Tell someone you trust where and when you are meeting.",
        "Inspect the item before you confirm the handoff; confirmation releases the credits.",
        "Never share passwords, codes or payment details; all payment happens through escrow.",
    ];

    public async Task<SafeZoneRecommendation> RecommendSafeZones(Guid callerId)
    {
        var role = RoleOf(callerId);
        await Catchup();
        if (S.Status != TradeStatuses.Accepted) throw TradeTransitions.InvalidTransition(S.Status);
        var viewer = AreaOf(role);
        if (S.BuyerArea is not { } a || S.SellerArea is not { } b || viewer is null) return new SafeZoneRecommendation(10, []);
        return await zones.RecommendAsync(new GeoPoint(a.Lat, a.Lng), new GeoPoint(b.Lat, b.Lng), new GeoPoint(viewer.Lat, viewer.Lng));
    }

    public async Task<TradeView> PickLocation(TradeCaller caller, LocationChoice choice)
    {
        var callerId = caller.UserId;
        var role = await Begin(caller, TradeTransitions.PickLocation);
        var pick = choice.Choice switch
        {
            LocationChoice.SafeZone => await ZonePick(choice.SafeZoneId),
            LocationChoice.Custom => CustomPick(choice.Lat, choice.Lng),
            LocationChoice.AcceptPartner => PickOf(Partner(role)) ?? throw TradeTransitions.InvalidTransition(S.Status),
            _ => throw DomainException.Validation("choice", FieldCodes.UnknownValue, "choice is one of safe_zone, custom, accept_partner."),
        };
        if (pick.Type == LocationChoice.Custom && !choice.AcknowledgeSafetyWarning)
            throw new DomainException(ErrorCodes.SafetyAcknowledgementRequired, "A custom place needs acknowledgeSafetyWarning: true.");
        if (DistanceFrom(role, pick) is { } miles && miles > DistanceConfirmationMi && !choice.ConfirmDistance)
            throw new DomainException(ErrorCodes.DistanceConfirmationRequired, "The place is more than 5 miles from your area.",
                extensions: new Dictionary<string, object> { ["distanceMi"] = miles });

        var wasAgreed = LocationAgreed;
        if (role == TradeActor.Buyer) S.BuyerPick = pick;
        else S.SellerPick = pick;
        await Audit(AuditActions.LocationPicked, callerId, new { role = RoleName(role), type = pick.Type, safeZoneId = pick.Zone?.Id });
        if (pick.Type == LocationChoice.Custom) await Audit(AuditActions.SafetyWarningAcknowledged, callerId, new { role = RoleName(role) });
        if (DistanceFrom(role, pick) is { } confirmed && confirmed > DistanceConfirmationMi)
            await Audit(AuditActions.DistanceConfirmed, callerId, new { role = RoleName(role), distanceMi = confirmed });
        Notify(NotificationTypes.LocationProposed, [PartnerOf(role)]);
        if (LocationAgreed && !wasAgreed) Notify(NotificationTypes.LocationAgreed, Both);
        await CommitOrHold();
        return await View(callerId);
    }

    public async Task<TradeView> ProposeTime(TradeCaller caller, DateTimeOffset proposedAt)
    {
        var callerId = caller.UserId;
        var role = await Begin(caller, TradeTransitions.ProposeTime);
        if (proposedAt.Second != 0 || proposedAt.Millisecond != 0 || proposedAt.Microsecond != 0)
            throw DomainException.Validation("proposedAt", FieldCodes.InvalidFormat, "proposedAt is a whole minute.");
        var now = Now;
        if (proposedAt < now + MinimumNotice || proposedAt > now + LatestMeetup)
            throw DomainException.Validation("proposedAt", FieldCodes.OutOfRange, "proposedAt is between 15 minutes and 7 days from now.");
        S.ProposedAt = proposedAt.ToUniversalTime();
        S.ProposedBy = RoleName(role);
        S.TimeAgreed = false;
        S.MeetupAt = null;
        Notify(NotificationTypes.TimeProposed, [PartnerOf(role)]);
        await Commit();
        return await View(callerId);
    }

    public async Task<TradeView> AcceptTime(TradeCaller caller, DateTimeOffset proposedAt)
    {
        var callerId = caller.UserId;
        var role = await Begin(caller, TradeTransitions.AcceptTime);
        if (S.ProposedAt is not { } current || S.TimeAgreed || S.ProposedBy == RoleName(role) || current != proposedAt)
            throw TradeTransitions.InvalidTransition(S.Status);
        if (proposedAt <= Now) throw new DomainException(ErrorCodes.MeetupTimePassed, "The proposed time has passed; propose a new one.");
        S.TimeAgreed = true;
        S.MeetupAt = current;
        Notify(NotificationTypes.TimeAgreed, Both);
        await CommitOrHold();
        return await View(callerId);
    }

    public async Task<MeetupPackage> GetMeetup(Guid callerId)
    {
        var role = RoleOf(callerId);
        await Catchup();
        if (!TradeStatuses.IsEscrowHeld(S.Status) || S.MeetupAt is not { } meetup || S.BuyerPick is not { } place)
            throw DomainException.NotFound();
        var partnerId = PartnerOf(role);
        var user = GrainFactory.GetGrain<IUserGrain>(partnerId);
        var profile = await ProfileLite(partnerId);
        var revealed = await user.GetRevealedIdentity();
        if (revealed?.PhotoUrl is not null)
            await audit.WriteAsync(new AuditEntry(AuditActions.PhotoAccessed, "user", partnerId.ToString(), callerId,
                new { viewerId = callerId, subjectId = partnerId, tradeId = Id, granted = true }), Now);
        var mine = role == TradeActor.Buyer ? (S.BuyerArrivedAt, S.BuyerConfirmedAt) : (S.SellerArrivedAt, S.SellerConfirmedAt);
        var theirs = role == TradeActor.Buyer ? (S.SellerArrivedAt, S.SellerConfirmedAt) : (S.BuyerArrivedAt, S.BuyerConfirmedAt);
        return new MeetupPackage(Id,
            new MeetupPlace(place.Type, place.Zone, place.Type == LocationChoice.Custom ? new CustomPoint(place.Lat, place.Lng) : null),
            meetup,
            new ArrivalWindow(meetup - TradeTimers.ArrivalOpensBefore, meetup + TradeTimers.ArrivalClosesAfter),
            meetup + TradeTimers.HandoffWindowAfter,
            MeetupCounterparty.Of(profile, revealed?.PhotoUrl, revealed?.VehicleDescription),
            new MeetupSelf(mine.Item1, mine.Item2),
            new MeetupPartner(theirs.Item1 is not null, theirs.Item2 is not null),
            SafetyTips);
    }

    public async Task<TradeView> Arrived(TradeCaller caller)
    {
        var callerId = caller.UserId;
        var role = await Begin(caller, TradeTransitions.Arrive);
        var meetup = S.MeetupAt!.Value;
        var now = Now;
        if (now < meetup - TradeTimers.ArrivalOpensBefore || now > meetup + TradeTimers.ArrivalClosesAfter)
            throw new DomainException(ErrorCodes.OutsideTimeWindow, "Arrival can be reported from 15 minutes before to 30 minutes after the meetup time.");
        if ((role == TradeActor.Buyer ? S.BuyerArrivedAt : S.SellerArrivedAt) is not null) throw TradeTransitions.InvalidTransition(S.Status);
        if (role == TradeActor.Buyer) S.BuyerArrivedAt = now;
        else S.SellerArrivedAt = now;
        Notify(NotificationTypes.PartnerArrived, [PartnerOf(role)]);
        await Commit();
        return await View(callerId);
    }

    private bool LocationAgreed => S.BuyerPick is { } b && b.SamePlaceAs(S.SellerPick);

    /// <summary>A call that leaves location and time agreed runs the hold step (6.5); otherwise it is a plain change.</summary>
    private Task CommitOrHold() => LocationAgreed && S.TimeAgreed ? TryHold(explicitCall: false) : Commit();

    private async Task<Pick> ZonePick(Guid? zoneId)
    {
        if (zoneId is not { } id) throw DomainException.Validation("safeZoneId", FieldCodes.Required, "safeZoneId is required for a safe zone.");
        var zone = await zones.FindActiveAsync(id)
            ?? throw DomainException.Validation("safeZoneId", FieldCodes.UnknownValue, "No active safe zone has this id.");
        return new Pick(LocationChoice.SafeZone, new SafeZoneSummary(zone.Id, zone.Name, zone.Address, zone.Tier), zone.Lat, zone.Lng);
    }

    private static Pick CustomPick(double? lat, double? lng)
    {
        var errors = new List<FieldError>();
        if (lat is not (>= -90 and <= 90)) errors.Add(new FieldError("lat", lat is null ? FieldCodes.Required : FieldCodes.OutOfRange, "lat is between -90 and 90."));
        if (lng is not (>= -180 and <= 180)) errors.Add(new FieldError("lng", lng is null ? FieldCodes.Required : FieldCodes.OutOfRange, "lng is between -180 and 180."));
        if (errors.Count > 0) throw DomainException.Validation([.. errors]);
        return new Pick(LocationChoice.Custom, null, Math.Round(lat!.Value, 5, MidpointRounding.AwayFromZero), Math.Round(lng!.Value, 5, MidpointRounding.AwayFromZero));
    }

    private static TradeActor Partner(TradeActor role) => role == TradeActor.Buyer ? TradeActor.Seller : TradeActor.Buyer;

    private Pick? PickOf(TradeActor role) => role == TradeActor.Buyer ? S.BuyerPick : S.SellerPick;

    private AreaPoint? AreaOf(TradeActor role) => role == TradeActor.Buyer ? S.BuyerArea : S.SellerArea;

    /// <summary>Miles from the party's own area to the place, 1 decimal; null when the party has no area point.</summary>
    private double? DistanceFrom(TradeActor role, Pick pick) =>
        AreaOf(role) is { } area
            ? Math.Round(RankingSignals.HaversineKm(new GeoPoint(area.Lat, area.Lng), new GeoPoint(pick.Lat, pick.Lng)) / KmPerMile, 1, MidpointRounding.AwayFromZero)
            : null;
}
