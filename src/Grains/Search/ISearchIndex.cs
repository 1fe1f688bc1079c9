namespace NeXChange.Search;

/// <summary>
/// The search engine port (SPEC.md 5.5). PostgreSQL is the default adapter; another adapter must pass the same
/// contract tests. Items leave the results by an upsert with a status other than <c>active</c>: the row stays as a
/// tombstone so the version guard still refuses older writes that arrive late.
/// </summary>
public interface ISearchIndex
{
    /// <summary>Writes the document unless the stored one has the same or a newer version; true when written.</summary>
    Task<bool> UpsertAsync(ItemSearchDocument document, CancellationToken cancellationToken = default);

    /// <summary>Runs a validated search; the point, if any, is already resolved (explicit or the caller's area).</summary>
    Task<SearchPage> SearchAsync(SearchCriteria criteria, SearchSettings settings, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>At most 10 suggestions; empty when q is shorter than 2 or longer than 50 characters.</summary>
    Task<IReadOnlyList<Suggestion>> SuggestAsync(string? q, CancellationToken cancellationToken = default);
}
