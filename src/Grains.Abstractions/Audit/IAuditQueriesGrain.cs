namespace NeXChange.Audit;

/// <summary>Which audit rows GET /admin/audit asks for (SPEC.md 8.6); a null member does not filter.</summary>
[GenerateSerializer, Alias("NeXChange.Audit.AuditFilter")]
public sealed record AuditFilter(
    [property: Id(0)] string? EntityType,
    [property: Id(1)] string? EntityId,
    [property: Id(2)] string? Action,
    [property: Id(3)] Guid? ActorId);

/// <summary>
/// One audit row as an admin reads it (SPEC.md 3.13). <see cref="DataJson"/> is the row's jsonb object as stored,
/// passed through as text because its members differ per action.
/// </summary>
[GenerateSerializer, Alias("NeXChange.Audit.AuditLogEntry")]
public sealed record AuditLogEntry(
    [property: Id(0)] long Id,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] Guid? ActorId,
    [property: Id(3)] string Action,
    [property: Id(4)] string EntityType,
    [property: Id(5)] string EntityId,
    [property: Id(6)] string DataJson,
    [property: Id(7)] string? Ip);

[GenerateSerializer, Alias("NeXChange.Audit.AuditPage")]
public sealed record AuditPage([property: Id(0)] IReadOnlyList<AuditLogEntry> Items, [property: Id(1)] string? NextBefore);

/// <summary>Reads the audit log for admins (SPEC.md 8.6); stateless, any silo answers.</summary>
public interface IAuditQueriesGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Newest first, keyset paged (SPEC.md 9.4): limit 1–100; a tampered cursor, or one taken under other filters,
    /// is invalid_cursor.
    /// </summary>
    Task<AuditPage> List(AuditFilter filter, string? before, int limit);
}
