using Orleans.Concurrency;
using NeXChange.Paging;

namespace NeXChange.Trading;

[StatelessWorker]
public sealed class TradeQueriesGrain(TradeStore store) : Grain, ITradeQueriesGrain
{
    public async Task<TradePage> ListMine(Guid userId, string? role, IReadOnlyList<string> statuses, string? before, int limit)
    {
        var scope = $"trades:{userId:N}:{role}:{string.Join(',', statuses)}";
        Guid? beforeId = before is null ? null : new Guid(Cursor.Decode(scope, before, 16), bigEndian: true);
        var ids = await store.ListForUserAsync(userId, role, statuses, beforeId, limit + 1);
        var page = ids.Take(limit).ToList();
        // Each trade shows itself (its grain applies overdue timers first), so the list never shows a stale state.
        var items = await Task.WhenAll(page.Select(id => GrainFactory.GetGrain<ITradeGrain>(id).Get(new TradeCaller(userId, false))));
        return new TradePage(items, ids.Count > limit ? Cursor.Encode(scope, page[^1].ToByteArray(bigEndian: true)) : null);
    }
}
