using NeXChange.Errors;
using NeXChange.Paging;
using Orleans.Concurrency;

namespace NeXChange.Audit;

/// <summary>
/// The admin view of audit_log. Rows page by id, the order they were recorded in: ids only grow, so rows recorded
/// after the first page never shift later pages.
/// </summary>
[StatelessWorker]
public sealed class AuditQueriesGrain(AuditLogReader reader) : Grain, IAuditQueriesGrain
{
    public async Task<AuditPage> List(AuditFilter filter, string? before, int limit)
    {
        if (limit is < 1 or > 100) throw DomainException.Validation("limit", FieldCodes.OutOfRange, "limit must be between 1 and 100.");
        // The cursor is bound to the filters: continuing one list with another's cursor would skip rows silently.
        var scope = $"audit:{filter.EntityType}\n{filter.EntityId}\n{filter.Action}\n{filter.ActorId}";
        long? beforeId = before is null ? null : Cursor.DecodeId(scope, before);
        var rows = await reader.ListAsync(filter, beforeId, limit + 1);
        var page = rows.Take(limit).ToList();
        return new AuditPage(page, rows.Count > limit ? Cursor.EncodeId(scope, page[^1].Id) : null);
    }
}
