using NeXChange.Errors;
using NeXChange.Paging;
using Orleans.Concurrency;

namespace NeXChange.Trading;

[StatelessWorker]
public sealed class DisputeQueueGrain(DisputeStore store) : Grain, IDisputeQueueGrain
{
    private const string Scope = "disputes";

    public async Task<DisputePage> List(string? status, bool? escalated, string? before, int limit)
    {
        var scope = $"{Scope}:{status}:{escalated}";
        DisputeStore.QueueRow? after = null;
        if (before is not null)
        {
            var position = Cursor.Decode(scope, before, 25);
            after = new DisputeStore.QueueRow(new Guid(position.AsSpan(9, 16), bigEndian: true), Guid.Empty, position[0] == 1,
                new DateTimeOffset(BitConverter.ToInt64(position, 1), TimeSpan.Zero));
        }
        var rows = await store.QueueAsync(status, escalated, after, limit + 1);
        var page = rows.Take(limit).ToList();
        var items = await Task.WhenAll(page.Select(async row =>
        {
            var trade = GrainFactory.GetGrain<ITradeGrain>(row.TradeId);
            var moderator = new TradeCaller(Guid.Empty, IsModerator: true);
            var view = await trade.Get(moderator);
            return new DisputeQueueItem(await trade.GetDispute(moderator), view.ItemId, view.Item.Title, view.Status, view.AgreedPriceMinor);
        }));
        string? next = null;
        if (rows.Count > limit)
        {
            var last = page[^1];
            next = Cursor.Encode(scope, [(byte)(last.Escalated ? 1 : 0), .. BitConverter.GetBytes(last.CreatedAt.UtcTicks), .. last.Id.ToByteArray(bigEndian: true)]);
        }
        return new DisputePage(items, next);
    }

    public async Task<Guid> TradeOf(Guid disputeId) => await store.TradeOfAsync(disputeId) ?? throw DomainException.NotFound();
}
