using Orleans.Concurrency;

namespace NeXChange.Trading;

/// <summary>
/// One trade (SPEC.md 6): the single writer of its state machine and the saga that moves escrow and the item.
/// Keyed by the trade id. A caller who is neither party nor moderator gets not_found from every method; a party
/// calling the other role's action, or a moderator calling a party's, gets forbidden; an action the state does not allow gets invalid_transition.
/// Every method first applies any timed transition that is overdue (6.7).
/// </summary>
public interface ITradeGrain : IGrainWithGuidKey
{
    /// <summary>T1: the buyer's offer on an active item.</summary>
    Task<TradeView> Offer(OfferRequest offer);

    Task<TradeView> Get(TradeCaller caller);

    Task<TradeView> Counter(TradeCaller caller, long counterMinor);

    Task<TradeView> Accept(TradeCaller caller);

    Task<TradeView> Decline(TradeCaller caller);

    Task<TradeView> Withdraw(TradeCaller caller);

    Task<SafeZoneRecommendation> RecommendSafeZones(Guid callerId);

    Task<TradeView> PickLocation(TradeCaller caller, LocationChoice choice);

    Task<TradeView> ProposeTime(TradeCaller caller, DateTimeOffset proposedAt);

    Task<TradeView> AcceptTime(TradeCaller caller, DateTimeOffset proposedAt);

    /// <summary>The buyer's explicit hold step (6.5): answers the escrow error instead of recording it.</summary>
    Task<TradeView> Hold(TradeCaller caller);

    Task<MeetupPackage> GetMeetup(Guid callerId);

    Task<TradeView> Arrived(TradeCaller caller);

    Task<TradeView> Handoff(TradeCaller caller);

    Task<TradeView> RejectItem(TradeCaller caller, string? details);

    Task<TradeView> Cancel(TradeCaller caller, string reason);

    /// <summary>T20: a moderator ends a scheduled trade with a full refund.</summary>
    Task<TradeView> CancelByModerator(Guid moderatorId, string note, string atFault);

    /// <summary>T21: a party opens the trade's one dispute while escrow is held.</summary>
    Task<DisputeView> OpenDispute(TradeCaller caller, string reason, DisputeSubmission submission);

    /// <summary>The other party's one answer while the dispute is open.</summary>
    Task<DisputeView> RespondToDispute(TradeCaller caller, DisputeSubmission submission);

    /// <summary>The dispute as the caller may see it; not_found when there is none or the caller is a stranger.</summary>
    Task<DisputeView> GetDispute(TradeCaller caller);

    /// <summary>T22: a moderator resolves the open dispute with one ledger movement (SPEC.md 6.8).</summary>
    Task<ResolvedDispute> ResolveDispute(Guid moderatorId, DisputeResolution resolution);

    /// <summary>
    /// <c>GET /users/{subjectId}/photo?tradeId=</c> (SPEC.md 3.7): a signed URL of the subject's photo if and only if the
    /// viewer and the subject are this trade's two parties, escrow is held and the subject has a photo; otherwise
    /// not_found. Every call, granted or not, is audited.
    /// </summary>
    Task<PhotoGrant> RevealPhoto(Guid viewerId, Guid subjectId);

    /// <summary>
    /// What feedback on this trade may know (SPEC.md 6.9): the caller's role, the counterparty, whether the trade is
    /// eligible (completed, or resolved with release or refund_partial) and when it ended. not_found for strangers.
    /// </summary>
    Task<FeedbackContext> GetFeedbackContext(Guid callerId);

    /// <summary>T9: another trade on the item reached escrow. One-way, so the winning trade never waits on this one.</summary>
    [OneWay]
    Task OnItemReserved();

    /// <summary>T10: the item left <c>active</c> (flagged or archived). One-way, so the item never waits on a trade.</summary>
    [OneWay]
    Task OnItemUnavailable();

    /// <summary>T10 with <c>account_deleted</c>: a party's account is being deleted; a trade past escrow or ended is left as it is.</summary>
    Task OnAccountDeleted();

    /// <summary>Applies the transitions whose time has come; called by reminders and by the dev clock's sweep.</summary>
    Task ApplyDueTimers();

    /// <summary>
    /// Retention (SPEC.md 3.11): when the trade ended before <paramref name="endedBefore"/> and more than 7 years ago by
    /// the database's clock, clears the grain state, deletes its dispute and feedback rows and keeps only the trades
    /// row's id, status and end time. True when this call purged it; a repeat does nothing and returns false.
    /// </summary>
    Task<bool> Purge(DateTimeOffset endedBefore);
}

/// <summary>Lists across trades (SPEC.md 8.2 <c>/me/trades</c>); stateless, any silo answers.</summary>
public interface ITradeQueriesGrain : IGrainWithIntegerKey
{
    /// <summary>The user's trades newest first; <paramref name="role"/> buyer, seller or null for both.</summary>
    Task<TradePage> ListMine(Guid userId, string? role, IReadOnlyList<string> statuses, string? before, int limit);
}
