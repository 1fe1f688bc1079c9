using Microsoft.Extensions.DependencyInjection;
using NeXChange.Errors;
using NeXChange.Hosting;
using NeXChange.Paging;
using Orleans.Concurrency;

namespace NeXChange.Privacy;

/// <summary>The moderators' queue of data requests (SPEC.md 8.6), keyset-paged by (deadline, id).</summary>
[StatelessWorker]
public sealed class DataRequestQueueGrain(DataRequestStore store, [FromKeyedServices(Clocks.Domain)] TimeProvider time)
    : Grain, IDataRequestQueueGrain
{
    public async Task<DataRequestQueuePage> List(string? status, string? type, string? before, int limit)
    {
        if (status is not null && !DataRequestStatuses.All.Contains(status))
            throw DomainException.Validation("status", FieldCodes.UnknownValue, "status is received, processing, completed or failed.");
        if (type is not null && !DataRequestTypes.Sla.ContainsKey(type))
            throw DomainException.Validation("type", FieldCodes.UnknownValue, "type is export, port, rectify or delete.");
        var scope = $"data-requests:{status}:{type}";
        (DateTimeOffset, Guid)? after = before is null ? null : Cursor.DecodeTimeAndId(scope, before);
        var rows = await store.QueueAsync(status, type, after, limit + 1);
        var page = rows.Take(limit).ToList();
        var now = time.GetUtcNow();
        string? next = null;
        if (rows.Count > limit)
        {
            var last = page[^1].Row;
            next = Cursor.EncodeTimeAndId(scope, last.SlaDeadline, last.Id);
        }
        return new DataRequestQueuePage(page.Select(r => new DataRequestQueueItem(r.Row.View(now), r.Row.UserId, r.DisplayName)).ToList(), next);
    }
}
