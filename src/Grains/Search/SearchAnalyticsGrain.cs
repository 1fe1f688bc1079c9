using Microsoft.Extensions.DependencyInjection;
using NeXChange.Errors;
using Orleans.Concurrency;

namespace NeXChange.Search;

[StatelessWorker]
public sealed class SearchAnalyticsGrain(SearchLog log, [FromKeyedServices(SearchModule.ClockKey)] TimeProvider time) : Grain, ISearchAnalyticsGrain
{
    public Task<SearchAnalytics> Report(DateTimeOffset from, DateTimeOffset to) =>
        from <= to ? log.ReportAsync(from, to) : throw DomainException.Validation("to", FieldCodes.OutOfRange, "Must not be before from.");

    public Task<SearchLogRetention> ApplyRetention() => log.ApplyRetentionAsync(time.GetUtcNow());
}
