using Microsoft.Extensions.Logging;
using NeXChange.Conversion;
using NeXChange.Credits;
using NeXChange.Errors;
using NeXChange.Items;
using NeXChange.Maintenance;
using NeXChange.Sessions;
using NeXChange.Storage;
using NeXChange.Trading;
using NeXChange.Users;
using NeXChange.Users.Verification;
using StackExchange.Redis;

namespace NeXChange.Privacy;

/// <summary>
/// The job of a DSR delete (SPEC.md 3.10). Every step is idempotent and the whole job runs again after a crash, so it
/// resumes wherever it stopped. Ledger, trades, disputes and audit rows stay and keep pointing at the user id.
/// </summary>
public sealed class AccountErasure(
    ErasureQueries queries,
    IGrainFactory grains,
    IBlobStore blobs,
    BlobReferences references,
    VerificationDesk verifications,
    IConnectionMultiplexer redis,
    ILogger<AccountErasure> logger)
{
    /// <summary>
    /// What stops the account from being erased now (SPEC.md 3.10): <c>escrow_held</c> while one of its trades holds
    /// escrow, <c>conversion_in_flight</c> while one of its conversions waits for a payout or a deposit (credits the
    /// partner may still move to or from the account); null when nothing does.
    /// </summary>
    public async Task<string?> BlockerAsync(Guid userId)
    {
        if (await queries.EscrowHeldAsync(userId)) return ErrorCodes.EscrowHeld;
        // The desk expires overdue deposits first, so a top-up whose window closed no longer blocks.
        return await grains.GetGrain<IConversionDeskGrain>(userId).HasConversionInFlight() ? ErrorCodes.ConversionInFlight : null;
    }

    /// <summary>Null once the account is erased; else the failure reason, and then the account was not erased.</summary>
    public async Task<string?> RunAsync(Guid userId)
    {
        if (await BlockerAsync(userId) is { } blocker) return blocker;

        foreach (var trade in await queries.PreEscrowTradesAsync(userId)) await grains.GetGrain<ITradeGrain>(trade).OnAccountDeleted();
        var photoPrefixes = new List<string>();
        foreach (var item in await queries.ItemsAsync(userId))
            photoPrefixes.AddRange(await grains.GetGrain<IItemGrain>(item).EraseForOwnerDeletion());

        // The other party of a trade accepted before it was cancelled may have placed the hold in between (6.5 lets
        // the seller's call do it), and the user may have started a conversion: then the account must not be erased.
        if (await BlockerAsync(userId) is { } late) return late;

        await grains.GetGrain<IUserGrain>(userId).Erase();
        await RefreshSessions.RevokeAllAsync(redis.GetDatabase(), userId);
        await DeleteUnreferencedAsync(photoPrefixes);
        await verifications.DeleteDocumentsOfAsync(userId);
        if (await grains.GetGrain<ICreditAccountGrain>(userId).CloseAccount() is { } closure)
            logger.LogInformation("Account closure {TransactionId} posted for deleted user {UserId}", closure.TransactionId, userId);
        await queries.EraseFeedbackCommentsAsync(userId);
        await queries.ClearSearchLogAsync(userId);
        return null;
    }

    /// <summary>
    /// Item photo blobs are content-addressed and may back another user's identical photo, so only prefixes no item
    /// refers to any more are deleted. A prefix dropped by a crashed earlier run is left to the daily orphan cleanup.
    /// </summary>
    private async Task DeleteUnreferencedAsync(List<string> prefixes)
    {
        if (prefixes.Count == 0) return;
        var referenced = await references.LoadPrefixesAsync();
        foreach (var prefix in prefixes.Distinct().Where(p => !referenced.Contains(p)))
            await foreach (var blob in blobs.ListAsync(prefix + "/")) await blobs.DeleteAsync(blob.Key);
    }
}
