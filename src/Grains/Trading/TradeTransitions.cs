using NeXChange.Errors;
using static NeXChange.Trading.TradeStatuses;

namespace NeXChange.Trading;

/// <summary>Who may take an action: one side, either party, the system (timers, other aggregates) or a moderator.</summary>
public enum TradeActor { Buyer, Seller, Party, System, Moderator }

/// <summary>
/// SPEC.md 6.2 as one table: (state, action) → (actor, next state). Guards that need more than the state (prices,
/// times, windows, funds) and the side effects live in the grain's handler of each action; this table alone decides
/// 403 (a row exists for the other role) versus 409 (no row for this state).
/// Sub-steps that keep the state (pick location, time, arrival, a first handoff or mutual-cancel request) are rows
/// whose next state is the current one; the grain moves on to the row's second target when the step completes it.
/// </summary>
public static class TradeTransitions
{
    public const string Offer = "offer";
    public const string Counter = "counter";
    public const string Accept = "accept";
    public const string Decline = "decline";
    public const string Withdraw = "withdraw";
    public const string Expire = "expire";
    public const string ItemReserved = "item_reserved";
    public const string ItemUnavailable = "item_unavailable";
    public const string AccountDeleted = "account_deleted";
    public const string CancelChangedMind = "cancel_changed_mind";
    public const string SchedulingTimeout = "scheduling_timeout";
    public const string PickLocation = "pick_location";
    public const string ProposeTime = "propose_time";
    public const string AcceptTime = "accept_time";
    public const string Hold = "hold";
    public const string Arrive = "arrive";
    public const string Handoff = "handoff";
    public const string AutoComplete = "auto_complete";
    public const string CancelNoShow = "cancel_no_show";
    public const string CancelMutual = "cancel_mutual";
    public const string RejectItem = "reject_item";
    public const string HoldTimeout = "hold_timeout";
    public const string ModeratorCancel = "moderator_cancel";
    public const string OpenDispute = "open_dispute";
    public const string ResolveDispute = "resolve_dispute";

    /// <summary>One row of the table; <see cref="Rule"/> names SPEC's transition for readers and logs.</summary>
    public sealed record Row(string Rule, string From, string Action, TradeActor Actor, string To);

    private const string None = "";

    public static readonly IReadOnlyList<Row> Rows =
    [
        new("T1", None, Offer, TradeActor.Buyer, Offered),
        new("T2", Offered, Counter, TradeActor.Seller, Countered),
        new("T3", Offered, Accept, TradeActor.Seller, Accepted),
        new("T4", Countered, Accept, TradeActor.Buyer, Accepted),
        new("T5", Offered, Decline, TradeActor.Seller, Declined),
        new("T6", Countered, Decline, TradeActor.Buyer, Declined),
        new("T7", Offered, Withdraw, TradeActor.Buyer, Withdrawn),
        new("T8", Offered, Expire, TradeActor.System, Expired),
        new("T8", Countered, Expire, TradeActor.System, Expired),
        new("T9", Offered, ItemReserved, TradeActor.System, Declined),
        new("T9", Countered, ItemReserved, TradeActor.System, Declined),
        new("T9", Accepted, ItemReserved, TradeActor.System, Declined),
        new("T10", Offered, ItemUnavailable, TradeActor.System, Cancelled),
        new("T10", Countered, ItemUnavailable, TradeActor.System, Cancelled),
        new("T10", Accepted, ItemUnavailable, TradeActor.System, Cancelled),
        new("T10", Offered, AccountDeleted, TradeActor.System, Cancelled),
        new("T10", Countered, AccountDeleted, TradeActor.System, Cancelled),
        new("T10", Accepted, AccountDeleted, TradeActor.System, Cancelled),
        new("T11", Countered, CancelChangedMind, TradeActor.Party, Cancelled),
        new("T11", Accepted, CancelChangedMind, TradeActor.Party, Cancelled),
        new("T12", Accepted, SchedulingTimeout, TradeActor.System, Cancelled),
        new("6.4", Accepted, PickLocation, TradeActor.Party, Accepted),
        new("6.5", Accepted, ProposeTime, TradeActor.Party, Accepted),
        new("6.5", Accepted, AcceptTime, TradeActor.Party, Accepted),
        new("T13", Accepted, Hold, TradeActor.Buyer, Scheduled),
        new("6.6", Scheduled, Arrive, TradeActor.Party, Scheduled),
        new("T14", Scheduled, Handoff, TradeActor.Party, Completed),
        new("T15", Scheduled, AutoComplete, TradeActor.System, Completed),
        new("T16", Scheduled, CancelNoShow, TradeActor.Party, Cancelled),
        new("T17", Scheduled, CancelMutual, TradeActor.Party, Cancelled),
        new("T18", Scheduled, RejectItem, TradeActor.Buyer, Cancelled),
        new("T19", Scheduled, HoldTimeout, TradeActor.System, Cancelled),
        new("T20", Scheduled, ModeratorCancel, TradeActor.Moderator, Cancelled),
        new("T21", Scheduled, OpenDispute, TradeActor.Party, Disputed),
        new("T22", Disputed, ResolveDispute, TradeActor.Moderator, Resolved),
    ];

    private static readonly Dictionary<(string From, string Action), Row> Table = Rows.ToDictionary(r => (r.From, r.Action));

    /// <summary>
    /// The row for <paramref name="action"/> taken by <paramref name="actor"/> in <paramref name="from"/>: 409
    /// invalid_transition when the state has no such action, 403 forbidden when it belongs to the other side.
    /// </summary>
    public static Row Check(string from, string action, TradeActor actor)
    {
        if (!Table.TryGetValue((from, action), out var row)) throw InvalidTransition(from);
        var allowed = row.Actor == actor || (row.Actor == TradeActor.Party && actor is TradeActor.Buyer or TradeActor.Seller);
        return allowed ? row : throw new DomainException(ErrorCodes.Forbidden, "This action belongs to the other party.");
    }

    /// <summary>Whether a system action applies in <paramref name="from"/>; a late or repeated timer does nothing.</summary>
    public static bool Applies(string from, string action) => Table.ContainsKey((from, action));

    public static DomainException InvalidTransition(string current) =>
        new(ErrorCodes.InvalidTransition, $"Not allowed while the trade is {current}.",
            extensions: new Dictionary<string, object> { ["currentStatus"] = current });
}
