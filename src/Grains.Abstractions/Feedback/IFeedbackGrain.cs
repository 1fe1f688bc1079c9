namespace NeXChange.Feedback;

/// <summary>
/// Feedback on trades (SPEC.md 6.9) over the feedback table. Stateless: the table is the truth and its unique
/// (trade, author) index decides "once per party", so any silo answers. The trade decides who is a party and whether
/// it is eligible (<see cref="Trading.ITradeGrain.GetFeedbackContext"/>): strangers get not_found.
/// </summary>
public interface IFeedbackGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// The caller rates the other party: invalid_transition when the trade is not eligible, outside_time_window after
    /// endedAt + 7 days, already_submitted the second time. The rating (1–5) and comment (10–500) are checked by the caller.
    /// </summary>
    Task<FeedbackEntry> Submit(Guid tradeId, Guid authorId, int rating, string? comment);

    /// <summary>The caller's own feedback on the trade, and the other party's once it is visible.</summary>
    Task<TradeFeedback> ForTrade(Guid tradeId, Guid callerId);

    /// <summary>Visible feedback the user received, newest first; not_found for an unknown or deleted user.</summary>
    Task<FeedbackPage> ListReceived(Guid subjectId, string? before, int limit);
}
