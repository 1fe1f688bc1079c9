using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;

namespace NeXChange.Search;

[StatelessWorker]
public sealed class SearchGrain(
    ISearchIndex index, SearchWeightsCache weights, CallerAreas areas, SearchLog log, [FromKeyedServices(SearchModule.ClockKey)] TimeProvider time) : Grain, ISearchGrain
{
    public async Task<SearchPage> Search(SearchQuery query, Guid? callerId)
    {
        var started = Stopwatch.GetTimestamp();
        var criteria = SearchQueryParser.Parse(query);
        var callerArea = criteria.Point is null && callerId is { } caller ? await areas.FindAsync(caller) : null;
        criteria = criteria.WithFallbackPoint(callerArea);
        var now = time.GetUtcNow();
        var page = await index.SearchAsync(criteria, await weights.GetAsync(), now);
        // Logged before answering, so a failed log write fails the request instead of vanishing silently.
        await log.WriteAsync(criteria, page.Total, Stopwatch.GetElapsedTime(started).TotalMilliseconds, callerId, now);
        return page;
    }

    public Task<IReadOnlyList<Suggestion>> Suggest(string? q) => index.SuggestAsync(q);
}
