using Microsoft.Extensions.DependencyInjection;

namespace NeXChange.Search;

/// <summary>
/// The ranking weights as this silo uses them: read from search_settings at most once per
/// <see cref="SearchOptions.WeightsCacheFor"/>, so an admin's change reaches every silo within that window without
/// a call to the settings grain on every search. Concurrent refreshes may both read; either answer is current.
/// </summary>
public sealed class SearchWeightsCache(SearchSettingsStore store, SearchOptions options, [FromKeyedServices(SearchModule.ClockKey)] TimeProvider time)
{
    private sealed record Snapshot(SearchSettings Settings, DateTimeOffset ReadAt);

    private volatile Snapshot? cached;

    public async Task<SearchSettings> GetAsync()
    {
        if (cached is { } c && time.GetUtcNow() - c.ReadAt < options.WeightsCacheFor) return c.Settings;
        var settings = await store.ReadAsync();
        cached = new Snapshot(settings, time.GetUtcNow());
        return settings;
    }
}
