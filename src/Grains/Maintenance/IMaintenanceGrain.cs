namespace NeXChange.Maintenance;

/// <summary>
/// The daily housekeeping of the cluster (SPEC.md 2.9, 3.11, 4.5): one activation (key 0) holding a durable reminder.
/// Every job is idempotent, so a late, repeated or overlapping run does no harm.
/// </summary>
public interface IMaintenanceGrain : IGrainWithIntegerKey
{
    /// <summary>Registers the daily reminder if it is missing; called by every silo at start.</summary>
    Task EnsureScheduled();

    /// <summary>Runs every daily job now.</summary>
    Task<MaintenanceReport> RunDaily();
}

[GenerateSerializer, Alias("NeXChange.Maintenance.MaintenanceReport")]
public sealed record MaintenanceReport(
    [property: Id(0)] bool LedgerOk,
    [property: Id(1)] int OrphanBlobsDeleted,
    [property: Id(2)] long SearchLogUserIdsCleared,
    [property: Id(3)] long SearchLogRowsDeleted,
    [property: Id(4)] int NotificationsDeleted,
    [property: Id(5)] int ItemPhotosPurged,
    [property: Id(6)] int TradesPurged,
    [property: Id(7)] long AuditRowsDeleted,
    [property: Id(8)] int ArchivesDeleted,
    [property: Id(9)] int QuotesDeleted);
