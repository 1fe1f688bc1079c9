namespace NeXChange.Search;

/// <summary>Runs searches and suggestions; stateless, so every silo answers locally (key 0).</summary>
public interface ISearchGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// <c>GET /items</c>. <paramref name="callerId"/>'s area point is the search point when lat/lng are absent.
    /// Throws <c>DomainException(validation_failed)</c> with errors named after the query parameters.
    /// </summary>
    Task<SearchPage> Search(SearchQuery query, Guid? callerId);

    /// <summary><c>GET /items/suggest</c>: at most 10, empty for q shorter than 2 characters.</summary>
    Task<IReadOnlyList<Suggestion>> Suggest(string? q);
}

/// <summary>The single writer of the ranking weights (key 0).</summary>
public interface ISearchSettingsGrain : IGrainWithIntegerKey
{
    Task<SearchSettings> Get();

    /// <summary>Validates, bumps the version, audits old and new values; silos apply it within 10 s.</summary>
    Task<SearchSettings> Update(Guid adminId, SearchWeights weights);
}

/// <summary>Reports and retention over search_log (key 0).</summary>
public interface ISearchAnalyticsGrain : IGrainWithIntegerKey
{
    /// <summary>Searches logged in [from, to).</summary>
    Task<SearchAnalytics> Report(DateTimeOffset from, DateTimeOffset to);

    /// <summary>Clears user ids older than 30 days and deletes rows older than 2 years.</summary>
    Task<SearchLogRetention> ApplyRetention();
}
