using NeXChange.Trading;

namespace NeXChange.Items;

/// <summary>The item's side of trading: its one reservation (SPEC.md 4.3 I7–I10) and telling open trades it left active.</summary>
public sealed partial class ItemGrain
{
    public async Task<string> Reserve(Guid tradeId)
    {
        var current = Existing();
        if (current.ReservedByTrade == tradeId && current.Status == ItemStatuses.Reserved) return Reservations.Granted;
        if (current.Status == ItemStatuses.Reserved) return Reservations.TakenByOther;
        if (!ItemWorkflow.Allows(current.Status, ItemWorkflow.Reserve)) return Reservations.Unavailable;
        await Commit(current with { Status = ItemWorkflow.Next(current.Status, ItemWorkflow.Reserve), ReservedByTrade = tradeId });
        return Reservations.Granted;
    }

    public async Task EndReservation(Guid tradeId, string itemAction)
    {
        var current = Existing();
        // Applied already (a resumed saga step), or the reservation was never this trade's: nothing to undo.
        if (current.ReservedByTrade != tradeId || current.Status != ItemStatuses.Reserved) return;
        await Commit(current with { Status = ItemWorkflow.Next(current.Status, itemAction), ReservedByTrade = null });
    }

    /// <summary>
    /// I4/I6: open pre-escrow trades end when the item leaves active. One-way calls, so the item never waits on a
    /// trade that may itself be waiting on the item; a trade that misses it still finds the item gone at its next step.
    /// </summary>
    private async Task TellTradesItemLeft(string before, string after)
    {
        if (before != ItemStatuses.Active || after is ItemStatuses.Active or ItemStatuses.Reserved) return;
        foreach (var tradeId in await trades.OpenTradesOnItemAsync(Id))
            await GrainFactory.GetGrain<ITradeGrain>(tradeId).OnItemUnavailable();
    }
}
