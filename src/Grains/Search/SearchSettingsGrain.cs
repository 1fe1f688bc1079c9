using Microsoft.Extensions.DependencyInjection;

namespace NeXChange.Search;

/// <summary>The single writer of search_settings; reads go to the row so a restarted grain never answers stale.</summary>
public sealed class SearchSettingsGrain(SearchSettingsStore store, [FromKeyedServices(SearchModule.ClockKey)] TimeProvider time) : Grain, ISearchSettingsGrain
{
    public Task<SearchSettings> Get() => store.ReadAsync();

    public Task<SearchSettings> Update(Guid adminId, SearchWeights weights)
    {
        SearchWeightsRules.Validate(weights);
        return store.WriteAsync(adminId, weights, time.GetUtcNow());
    }
}
