namespace NeXChange.Search;

/// <summary>The report of <c>GET /admin/search/analytics?from&amp;to</c> (SPEC.md 5.5).</summary>
[GenerateSerializer, Alias("NeXChange.Search.SearchAnalytics")]
public sealed record SearchAnalytics(
    [property: Id(0)] long Searches,
    [property: Id(1)] long ZeroResultSearches,
    [property: Id(2)] double? P50LatencyMs,
    [property: Id(3)] double? P95LatencyMs,
    [property: Id(4)] IReadOnlyList<QueryCount> TopQueries,
    [property: Id(5)] IReadOnlyList<QueryCount> TopZeroResultQueries);

[GenerateSerializer, Alias("NeXChange.Search.QueryCount")]
public sealed record QueryCount([property: Id(0)] string Q, [property: Id(1)] long Count);

/// <summary>What one retention pass changed in search_log (SPEC.md 3.11).</summary>
[GenerateSerializer, Alias("NeXChange.Search.SearchLogRetention")]
public sealed record SearchLogRetention([property: Id(0)] long UserIdsCleared, [property: Id(1)] long RowsDeleted);
