using Microsoft.Extensions.Configuration;

namespace NeXChange.Search;

/// <summary>
/// <c>Search:WeightsCacheSeconds</c> (default 5): how long a silo keeps the ranking weights before reading them
/// again. SPEC.md 5.3 wants a change applied within 10 s; tests shorten it.
/// </summary>
public sealed record SearchOptions(TimeSpan WeightsCacheFor)
{
    public static SearchOptions FromConfiguration(IConfiguration configuration)
    {
        var seconds = configuration.GetValue("Search:WeightsCacheSeconds", 5.0);
        return seconds is >= 0 and <= 10
            ? new(TimeSpan.FromSeconds(seconds))
            : throw new InvalidOperationException("Setting 'Search:WeightsCacheSeconds' must be between 0 and 10 (SPEC.md 5.3: weights apply within 10 s).");
    }
}
