namespace NeXChange.Trading;

/// <summary>
/// Retention (SPEC.md 3.11): 7 years after a trade ended its state goes, and its rows are cut down to the tombstone
/// that ledger references need (migration 0020). The grain clears its own state, so no cached activation can write
/// it back.
/// </summary>
public sealed partial class TradeGrain
{
    public async Task<bool> Purge(DateTimeOffset endedBefore)
    {
        if (Exists)
        {
            if (TradeStatuses.IsOpen(S.Status) || S.EndedAt is not { } ended || ended >= endedBefore) return false;
            // The database's clock decides (0020); asked first, so the state is never cleared for a trade it keeps.
            if (!await store.EndedBeyondRetentionAsync(Id)) return false;
            await persisted.ClearStateAsync();
        }
        // Also reached without state: a previous run cleared it and stopped before the rows were purged.
        var purged = await store.PurgeAsync(Id);
        DeactivateOnIdle();
        return purged;
    }
}
