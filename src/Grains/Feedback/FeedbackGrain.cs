using Microsoft.Extensions.DependencyInjection;
using NeXChange.Errors;
using NeXChange.Hosting;
using NeXChange.Notifications;
using NeXChange.Paging;
using NeXChange.Trading;
using NeXChange.Users;
using Orleans.Concurrency;

namespace NeXChange.Feedback;

[StatelessWorker]
public sealed class FeedbackGrain(FeedbackStore store, Notifier notifier, [FromKeyedServices(Clocks.Domain)] TimeProvider time)
    : Grain, IFeedbackGrain
{
    public async Task<FeedbackEntry> Submit(Guid tradeId, Guid authorId, int rating, string? comment)
    {
        var context = await Trade(tradeId).GetFeedbackContext(authorId);
        if (!context.Eligible) throw TradeTransitions.InvalidTransition((await store.TradeAsync(tradeId)).Status);
        var now = time.GetUtcNow();
        if (!FeedbackWindow.IsOpen(context.EndedAt!.Value, now))
            throw new DomainException(ErrorCodes.OutsideTimeWindow, "Feedback can be left for 7 days after the trade ended.");
        var row = new FeedbackRow(Guid.CreateVersion7(now), tradeId, authorId, context.CounterpartyId, context.Role, rating, comment, now);
        var inserted = await store.InsertAsync(row);
        // Also on a repeat: a crash after the second party's insert left both rows and no notice; the event id makes it once.
        if ((await store.ForTradeAsync(tradeId)).Count == 2) await PublishVisible(context, authorId);
        if (!inserted) throw new DomainException(ErrorCodes.AlreadySubmitted, "You have already left feedback on this trade.");
        return await Entry(row);
    }

    public async Task<TradeFeedback> ForTrade(Guid tradeId, Guid callerId)
    {
        var context = await Trade(tradeId).GetFeedbackContext(callerId);
        var rows = await store.ForTradeAsync(tradeId);
        var mine = rows.Find(r => r.AuthorId == callerId);
        var theirs = rows.Find(r => r.AuthorId != callerId);
        var visible = mine is not null || (context.EndedAt is { } ended && !FeedbackWindow.IsOpen(ended, time.GetUtcNow()));
        return new TradeFeedback(mine is null ? null : await Entry(mine), theirs is not null && visible ? await Entry(theirs) : null);
    }

    public async Task<FeedbackPage> ListReceived(Guid subjectId, string? before, int limit)
    {
        if (await GrainFactory.GetGrain<IUserGrain>(subjectId).GetPublicProfile() is null) throw DomainException.NotFound();
        // Bound to the subject: a cursor taken from another user's list is invalid_cursor.
        var scope = $"feedback:{subjectId:N}";
        Guid? beforeId = before is null ? null : new Guid(Cursor.Decode(scope, before, 16), bigEndian: true);
        var rows = await store.ReceivedAsync(subjectId, FeedbackWindow.ClosedForEndsBefore(time.GetUtcNow()), beforeId, limit + 1);
        var page = rows.Take(limit).ToList();
        var authors = new Dictionary<Guid, PublicProfileLite>();
        foreach (var authorId in page.Select(r => r.AuthorId).Distinct()) authors[authorId] = await Profile(authorId);
        var items = page.Select(r => ToEntry(r, authors[r.AuthorId])).ToList();
        return new FeedbackPage(items, rows.Count > limit ? Cursor.Encode(scope, page[^1].Id.ToByteArray(bigEndian: true)) : null);
    }

    private ITradeGrain Trade(Guid tradeId) => GrainFactory.GetGrain<ITradeGrain>(tradeId);

    /// <summary>Both parties have posted: each may now read the other's rating (SPEC.md 6.10 feedback_visible).</summary>
    private async Task PublishVisible(FeedbackContext context, Guid authorId)
    {
        var trade = await store.TradeAsync(context.TradeId);
        await notifier.PublishAsync(new NotificationEvent(NotificationEvent.IdFor($"feedback:{context.TradeId}:visible"),
            NotificationTypes.FeedbackVisible, [authorId, context.CounterpartyId], context.TradeId, trade.ItemId,
            new Dictionary<string, object?> { ["itemTitle"] = trade.ItemTitle }));
    }

    private async Task<FeedbackEntry> Entry(FeedbackRow row) => ToEntry(row, await Profile(row.AuthorId));

    private async Task<PublicProfileLite> Profile(Guid userId) =>
        PublicProfileLite.Of(userId, await GrainFactory.GetGrain<IUserGrain>(userId).GetPublicProfile());

    private static FeedbackEntry ToEntry(FeedbackRow row, PublicProfileLite from) =>
        new(row.Id, row.Rating, row.Comment, from, row.Role, row.CreatedAt);
}
