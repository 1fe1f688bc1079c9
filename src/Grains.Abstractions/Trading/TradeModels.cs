using NeXChange.Users;

namespace NeXChange.Trading;

public static class TradeStatuses
{
    public const string Offered = "offered";
    public const string Countered = "countered";
    public const string Accepted = "accepted";
    public const string Scheduled = "scheduled";
    public const string Disputed = "disputed";
    public const string Completed = "completed";
    public const string Declined = "declined";
    public const string Withdrawn = "withdrawn";
    public const string Expired = "expired";
    public const string Cancelled = "cancelled";
    public const string Resolved = "resolved";

    /// <summary>Before escrow: the states an offer can still be negotiated or scheduled in.</summary>
    public static bool IsPreEscrow(string status) => status is Offered or Countered or Accepted;

    /// <summary>Escrow held: the states in which identity is revealed to the other party (SPEC.md 6.6).</summary>
    public static bool IsEscrowHeld(string status) => status is Scheduled or Disputed;

    public static bool IsOpen(string status) => IsPreEscrow(status) || IsEscrowHeld(status);
}

/// <summary>The <c>reason</c> of <c>POST /trades/{id}/cancel</c> (SPEC.md 6.2 T11, T16, T17).</summary>
public static class CancelReasons
{
    public const string ChangedMind = "changed_mind";
    public const string Mutual = "mutual";
    public const string NoShow = "no_show";
}

/// <summary>Who is asking: a party (their user id) or a moderator reading or acting on any trade.</summary>
[GenerateSerializer, Alias("NeXChange.Trading.TradeCaller")]
public sealed record TradeCaller([property: Id(0)] Guid UserId, [property: Id(1)] bool IsModerator);

/// <summary>POST /trades: the trade id is chosen by the API (UUIDv7); the buyer is the caller.</summary>
[GenerateSerializer, Alias("NeXChange.Trading.OfferRequest")]
public sealed record OfferRequest([property: Id(0)] Guid BuyerId, [property: Id(1)] Guid ItemId, [property: Id(2)] long OfferMinor);

[GenerateSerializer, Alias("NeXChange.Trading.LocationChoice")]
public sealed record LocationChoice(
    [property: Id(0)] string Choice,
    [property: Id(1)] Guid? SafeZoneId,
    [property: Id(2)] double? Lat,
    [property: Id(3)] double? Lng,
    [property: Id(4)] bool AcknowledgeSafetyWarning,
    [property: Id(5)] bool ConfirmDistance)
{
    public const string SafeZone = "safe_zone";
    public const string Custom = "custom";
    public const string AcceptPartner = "accept_partner";
}

[GenerateSerializer, Alias("NeXChange.Trading.SafeZoneSummary")]
public sealed record SafeZoneSummary([property: Id(0)] Guid Id, [property: Id(1)] string Name, [property: Id(2)] string Address,
    [property: Id(3)] int Tier);

[GenerateSerializer, Alias("NeXChange.Trading.CustomPoint")]
public sealed record CustomPoint([property: Id(0)] double Lat, [property: Id(1)] double Lng);

/// <summary>A meeting-place pick as the viewer sees it; <see cref="DistanceMi"/> is from the viewer's own area.</summary>
[GenerateSerializer, Alias("NeXChange.Trading.PickView")]
public sealed record PickView(
    [property: Id(0)] string Type,
    [property: Id(1)] SafeZoneSummary? SafeZone,
    [property: Id(2)] CustomPoint? Custom,
    [property: Id(3)] double? DistanceMi);

[GenerateSerializer, Alias("NeXChange.Trading.LocationView")]
public sealed record LocationView([property: Id(0)] PickView? MyPick, [property: Id(1)] PickView? PartnerPick, [property: Id(2)] bool Agreed);

[GenerateSerializer, Alias("NeXChange.Trading.TimeView")]
public sealed record TimeView([property: Id(0)] DateTimeOffset? ProposedAt, [property: Id(1)] string? ProposedBy, [property: Id(2)] bool Agreed);

[GenerateSerializer, Alias("NeXChange.Trading.ArrivalView")]
public sealed record ArrivalView([property: Id(0)] DateTimeOffset? BuyerArrivedAt, [property: Id(1)] DateTimeOffset? SellerArrivedAt);

[GenerateSerializer, Alias("NeXChange.Trading.HandoffView")]
public sealed record HandoffView([property: Id(0)] DateTimeOffset? BuyerConfirmedAt, [property: Id(1)] DateTimeOffset? SellerConfirmedAt);

[GenerateSerializer, Alias("NeXChange.Trading.TradeItemView")]
public sealed record TradeItemView([property: Id(0)] string Title, [property: Id(1)] string? CoverThumbUrl);

/// <summary>
/// A trade as SPEC.md 6.1 shows it to <c>myRole</c>'s party; moderators get <c>MyRole = null</c>, no counterparty and
/// both <see cref="Buyer"/> and <see cref="Seller"/> profiles.
/// </summary>
[GenerateSerializer, Alias("NeXChange.Trading.TradeView")]
public sealed record TradeView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid ItemId,
    [property: Id(2)] TradeItemView Item,
    [property: Id(3)] Guid BuyerId,
    [property: Id(4)] Guid SellerId,
    [property: Id(5)] string? MyRole,
    [property: Id(6)] PublicProfileLite? Counterparty,
    [property: Id(7)] string Status,
    [property: Id(8)] long OfferMinor,
    [property: Id(9)] long? CounterMinor,
    [property: Id(10)] long? AgreedPriceMinor,
    [property: Id(11)] long? FeeMinor,
    [property: Id(12)] DateTimeOffset? ExpiresAt,
    [property: Id(13)] LocationView Location,
    [property: Id(14)] TimeView Time,
    [property: Id(15)] DateTimeOffset? MeetupAt,
    [property: Id(16)] DateTimeOffset? AcceptedAt,
    [property: Id(17)] DateTimeOffset? HeldAt,
    [property: Id(18)] ArrivalView Arrival,
    [property: Id(19)] HandoffView Handoff,
    [property: Id(20)] string? CancelRequestedBy,
    [property: Id(21)] string? EscrowError,
    [property: Id(22)] Guid? DisputeId,
    [property: Id(23)] string? Resolution,
    [property: Id(24)] string? EndReason,
    [property: Id(25)] DateTimeOffset? EndedAt,
    [property: Id(26)] string? NoShowParty,
    [property: Id(27)] DateTimeOffset CreatedAt,
    [property: Id(28)] DateTimeOffset UpdatedAt,
    [property: Id(29)] long Version,
    [property: Id(30)] PublicProfileLite? Buyer,
    [property: Id(31)] PublicProfileLite? Seller);

[GenerateSerializer, Alias("NeXChange.Trading.TradePage")]
public sealed record TradePage([property: Id(0)] IReadOnlyList<TradeView> Items, [property: Id(1)] string? NextBefore);

/// <summary>GET /trades/{id}/meetup (SPEC.md 6.6).</summary>
[GenerateSerializer, Alias("NeXChange.Trading.MeetupPackage")]
public sealed record MeetupPackage(
    [property: Id(0)] Guid TradeId,
    [property: Id(1)] MeetupPlace Place,
    [property: Id(2)] DateTimeOffset MeetupAt,
    [property: Id(3)] ArrivalWindow ArrivalWindow,
    [property: Id(4)] DateTimeOffset HandoffWindowClosesAt,
    [property: Id(5)] MeetupCounterparty Counterparty,
    [property: Id(6)] MeetupSelf You,
    [property: Id(7)] MeetupPartner Partner,
    [property: Id(8)] IReadOnlyList<string> SafetyTips);

[GenerateSerializer, Alias("NeXChange.Trading.MeetupPlace")]
public sealed record MeetupPlace([property: Id(0)] string Type, [property: Id(1)] SafeZoneSummary? SafeZone, [property: Id(2)] CustomPoint? Custom);

[GenerateSerializer, Alias("NeXChange.Trading.ArrivalWindow")]
public sealed record ArrivalWindow([property: Id(0)] DateTimeOffset OpensAt, [property: Id(1)] DateTimeOffset ClosesAt);

/// <summary>
/// The other party in the meetup package: the short public profile's members, flat as SPEC.md 6.6 shows them, plus
/// the tier-2 photo URL and vehicle description that escrow unlocks (3.6).
/// </summary>
[GenerateSerializer, Alias("NeXChange.Trading.MeetupCounterparty")]
public sealed record MeetupCounterparty(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] string? AvatarUrl,
    [property: Id(3)] decimal? RatingAverage,
    [property: Id(4)] int RatingCount,
    [property: Id(5)] bool Verified,
    [property: Id(6)] string? PhotoUrl,
    [property: Id(7)] string? VehicleDescription)
{
    public static MeetupCounterparty Of(PublicProfileLite profile, string? photoUrl, string? vehicleDescription) =>
        new(profile.Id, profile.DisplayName, profile.AvatarUrl, profile.RatingAverage, profile.RatingCount, profile.Verified, photoUrl, vehicleDescription);
}

[GenerateSerializer, Alias("NeXChange.Trading.MeetupSelf")]
public sealed record MeetupSelf([property: Id(0)] DateTimeOffset? ArrivedAt, [property: Id(1)] DateTimeOffset? HandoffConfirmedAt);

[GenerateSerializer, Alias("NeXChange.Trading.MeetupPartner")]
public sealed record MeetupPartner([property: Id(0)] bool Arrived, [property: Id(1)] bool HandoffConfirmed);

[GenerateSerializer, Alias("NeXChange.Trading.PhotoGrant")]
public sealed record PhotoGrant([property: Id(0)] string Url, [property: Id(1)] DateTimeOffset ExpiresAt)
{
    // The signed URL is a bearer credential: never in a log line.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("ExpiresAt = ").Append(ExpiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        return true;
    }
}

[GenerateSerializer, Alias("NeXChange.Trading.FeedbackContext")]
public sealed record FeedbackContext(
    [property: Id(0)] Guid TradeId,
    [property: Id(1)] string Role,
    [property: Id(2)] Guid CounterpartyId,
    [property: Id(3)] bool Eligible,
    [property: Id(4)] DateTimeOffset? EndedAt);
