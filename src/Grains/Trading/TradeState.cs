namespace NeXChange.Trading;

/// <summary>
/// A trade as it is persisted (Orleans grain storage). Mutable because Orleans persists the instance; every change
/// happens inside the grain's turn and is followed by one write. <see cref="Version"/> orders the projection rows.
/// </summary>
[GenerateSerializer, Alias("NeXChange.Trading.TradeState")]
public sealed class TradeState
{
    [Id(0)] public Guid ItemId { get; set; }
    [Id(1)] public Guid BuyerId { get; set; }
    [Id(2)] public Guid SellerId { get; set; }
    [Id(3)] public string Status { get; set; } = "";
    [Id(4)] public long OfferMinor { get; set; }
    [Id(5)] public long? CounterMinor { get; set; }
    [Id(6)] public long? AgreedPriceMinor { get; set; }
    [Id(7)] public long? FeeMinor { get; set; }
    [Id(8)] public DateTimeOffset? ExpiresAt { get; set; }
    [Id(9)] public string ItemTitle { get; set; } = "";
    [Id(10)] public string? CoverThumbUrl { get; set; }
    [Id(11)] public AreaPoint? BuyerArea { get; set; }
    [Id(12)] public AreaPoint? SellerArea { get; set; }
    [Id(13)] public Pick? BuyerPick { get; set; }
    [Id(14)] public Pick? SellerPick { get; set; }
    [Id(15)] public DateTimeOffset? ProposedAt { get; set; }
    [Id(16)] public string? ProposedBy { get; set; }
    [Id(17)] public bool TimeAgreed { get; set; }
    [Id(18)] public DateTimeOffset? MeetupAt { get; set; }
    [Id(19)] public DateTimeOffset? AcceptedAt { get; set; }
    [Id(20)] public DateTimeOffset? HeldAt { get; set; }
    [Id(21)] public DateTimeOffset? BuyerArrivedAt { get; set; }
    [Id(22)] public DateTimeOffset? SellerArrivedAt { get; set; }
    [Id(23)] public DateTimeOffset? BuyerConfirmedAt { get; set; }
    [Id(24)] public DateTimeOffset? SellerConfirmedAt { get; set; }
    [Id(25)] public string? CancelRequestedBy { get; set; }
    [Id(26)] public string? EscrowError { get; set; }
    [Id(27)] public Guid? DisputeId { get; set; }
    [Id(28)] public string? Resolution { get; set; }
    [Id(29)] public string? EndReason { get; set; }
    [Id(30)] public DateTimeOffset? EndedAt { get; set; }
    [Id(31)] public string? NoShowParty { get; set; }
    [Id(32)] public string? AtFault { get; set; }
    [Id(33)] public DateTimeOffset CreatedAt { get; set; }
    [Id(34)] public DateTimeOffset UpdatedAt { get; set; }
    [Id(35)] public long Version { get; set; }
    /// <summary>The saga step started and not yet finished; re-run on activation and by the timer (6.5).</summary>
    [Id(36)] public PendingStep? Pending { get; set; }
    /// <summary>Notifications recorded with the state change and published after the write; re-sent until done.</summary>
    [Id(37)] public List<TradeNotice> Outbox { get; set; } = [];
    [Id(38)] public HashSet<string> RemindersSent { get; set; } = [];
    [Id(39)] public bool ArrivalClosed { get; set; }
    [Id(40)] public bool? BuyerOnTime { get; set; }
    [Id(41)] public bool? SellerOnTime { get; set; }
    [Id(42)] public bool OtherTradesDeclined { get; set; }
    [Id(43)] public DisputeRecord? Dispute { get; set; }
    /// <summary>The ledger transaction of the movement that closed the hold (release, refund or split).</summary>
    [Id(44)] public Guid? SettlementTransactionId { get; set; }
    [Id(45)] public bool FeedbackWindowClosed { get; set; }
}

/// <summary>The trade's one dispute (SPEC.md 6.8), kept with the trade that is its single writer.</summary>
[GenerateSerializer, Alias("NeXChange.Trading.DisputeRecord")]
public sealed record DisputeRecord(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid OpenedBy,
    [property: Id(2)] string Reason,
    [property: Id(3)] string Description,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] DisputeAnswer? Response = null,
    [property: Id(6)] bool Escalated = false,
    [property: Id(7)] string Status = "open",
    [property: Id(8)] string? Resolution = null,
    [property: Id(9)] long? RefundMinor = null,
    [property: Id(10)] string? AtFault = null,
    [property: Id(11)] string? Note = null,
    [property: Id(12)] Guid? ResolvedBy = null,
    [property: Id(13)] DateTimeOffset? ResolvedAt = null,
    [property: Id(14)] IReadOnlyList<Images.StoredPhoto>? Evidence = null);

/// <summary>The other party's one answer to a dispute, with its evidence as stored.</summary>
[GenerateSerializer, Alias("NeXChange.Trading.DisputeAnswer")]
public sealed record DisputeAnswer(
    [property: Id(0)] string Description,
    [property: Id(1)] IReadOnlyList<Images.StoredPhoto> Evidence,
    [property: Id(2)] DateTimeOffset CreatedAt);

[GenerateSerializer, Alias("NeXChange.Trading.AreaPoint")]
public sealed record AreaPoint([property: Id(0)] double Lat, [property: Id(1)] double Lng);

/// <summary>One party's meeting-place pick: a safe zone (copied at pick time) or a custom point.</summary>
[GenerateSerializer, Alias("NeXChange.Trading.Pick")]
public sealed record Pick(
    [property: Id(0)] string Type,
    [property: Id(1)] SafeZoneSummary? Zone,
    [property: Id(2)] double Lat,
    [property: Id(3)] double Lng)
{
    /// <summary>Agreed when both picks name the same zone or the same custom point (SPEC.md 6.4).</summary>
    public bool SamePlaceAs(Pick? other) =>
        other is not null && Type == other.Type
        && (Type == LocationChoice.SafeZone ? Zone!.Id == other.Zone!.Id : Lat == other.Lat && Lng == other.Lng);
}

/// <summary>
/// A cross-grain step in flight. <see cref="Kind"/> is <c>hold</c> (reserve the item, post escrow_hold) or a closing
/// movement (<c>release</c>, <c>refund</c>, <c>split</c>) with the item's transition; all keyed by the trade id.
/// </summary>
[GenerateSerializer, Alias("NeXChange.Trading.PendingStep")]
public sealed record PendingStep(
    [property: Id(0)] string Kind,
    [property: Id(1)] string? ItemAction,
    [property: Id(2)] long? RefundMinor);

/// <summary>A notification waiting in the trade's outbox; its event id makes re-publishing harmless.</summary>
[GenerateSerializer, Alias("NeXChange.Trading.TradeNotice")]
public sealed record TradeNotice(
    [property: Id(0)] Guid EventId,
    [property: Id(1)] string Type,
    [property: Id(2)] Guid[] Recipients,
    [property: Id(3)] long? AmountMinor,
    [property: Id(4)] string? Reason);
