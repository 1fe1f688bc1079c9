using Microsoft.Extensions.Logging;
using NeXChange.Credits;
using NeXChange.Search;
using NeXChange.Storage;

namespace NeXChange.Maintenance;

public sealed class MaintenanceGrain(
    LedgerReconciliation reconciliation,
    LedgerDriftAlarm alarm,
    BlobJanitor janitor,
    BlobReferences references,
    Users.Verification.VerificationDesk verifications,
    Notifications.NotificationStore notifications,
    ItemPhotoRetention itemPhotos,
    TradeRetention trades,
    AuditRetention auditLog,
    Privacy.ArchiveRetention archives,
    QuoteRetention quotes,
    TimeProvider time,
    ILogger<MaintenanceGrain> logger) : Grain, IMaintenanceGrain, IRemindable
{
    private const string Daily = "daily";

    /// <summary>02:00 UTC, the reconciliation time of SPEC.md 2.9, outside the busy hours of the US.</summary>
    private static readonly TimeSpan RunAt = TimeSpan.FromHours(2);

    /// <summary>SPEC.md 3.11: notifications are deleted 180 days after they were made.</summary>
    public static readonly TimeSpan NotificationRetention = TimeSpan.FromDays(180);

    public async Task EnsureScheduled()
    {
        if (await this.GetReminder(Daily) is not null) return;
        var now = time.GetUtcNow();
        var next = now.UtcDateTime.Date + RunAt;
        if (next <= now.UtcDateTime) next = next.AddDays(1);
        await this.RegisterOrUpdateReminder(Daily, next - now.UtcDateTime, TimeSpan.FromDays(1));
    }

    public async Task<MaintenanceReport> RunDaily()
    {
        var ledger = await reconciliation.RunAsync();
        if (!ledger.Ok) await alarm.RaiseAsync(ledger, via: "daily");

        // Before the blob cleanup, so the photos and dispute evidence they release go in the same run.
        var purgedPhotos = await itemPhotos.PurgeDueAsync();
        var purgedTrades = await trades.PurgeDueAsync();
        var prefixes = await references.LoadPrefixesAsync();
        var orphans = 0;
        foreach (var root in new[] { "items/", "private/profiles/", "private/disputes/" })
            orphans += await janitor.DeleteOrphansAsync(root, key => Task.FromResult(BlobReferences.IsReferenced(key, prefixes)), BlobJanitor.DefaultGrace);
        await verifications.DeleteDueDocumentsAsync();
        var retention = await GrainFactory.GetGrain<ISearchAnalyticsGrain>(0).ApplyRetention();
        var oldNotifications = await notifications.DeleteOlderThanAsync(time.GetUtcNow() - NotificationRetention);
        var oldAudit = await auditLog.DeleteExpiredAsync();
        var oldArchives = await archives.DeleteExpiredAsync();
        var oldQuotes = await quotes.DeleteExpiredAsync();
        logger.LogInformation(
            "Daily maintenance: {Orphans} orphan blobs deleted, search log {Cleared} user ids cleared, {Deleted} rows deleted, {Notifications} notifications deleted, " +
            "{Photos} items' photos purged, {Trades} trades purged, {Audit} audit rows deleted, {Archives} data export archives deleted, " +
            "{Quotes} expired conversion quotes deleted",
            orphans, retention.UserIdsCleared, retention.RowsDeleted, oldNotifications, purgedPhotos, purgedTrades, oldAudit, oldArchives, oldQuotes);
        return new MaintenanceReport(ledger.Ok, orphans, retention.UserIdsCleared, retention.RowsDeleted, oldNotifications,
            purgedPhotos, purgedTrades, oldAudit, oldArchives, oldQuotes);
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => reminderName == Daily ? RunDaily() : Task.CompletedTask;
}
