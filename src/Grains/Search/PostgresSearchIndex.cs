using NeXChange.Errors;
using NeXChange.Users;
using Npgsql;
using NpgsqlTypes;

namespace NeXChange.Search;

/// <summary>The PostgreSQL adapter of <see cref="ISearchIndex"/> over the search_items projection (0005_search.sql).</summary>
public sealed class PostgresSearchIndex(NpgsqlDataSource dataSource, string avatarBaseUrl) : ISearchIndex
{
    public const int MaxSuggestions = 10;

    public async Task<bool> UpsertAsync(ItemSearchDocument document, CancellationToken cancellationToken = default)
    {
        var d = document;
        await using var command = dataSource.CreateCommand("""
            insert into search_items (item_id, version, owner_id, status, title, description, tags, category_id, condition,
                price_minor, lat, lng, photo_count, cover_thumb, cover_w400, cover_thumb_webp, cover_w400_webp,
                general_area, published_at, updated_at)
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, now())
            on conflict (item_id) do update set
                version = excluded.version, owner_id = excluded.owner_id, status = excluded.status,
                title = excluded.title, description = excluded.description, tags = excluded.tags,
                category_id = excluded.category_id, condition = excluded.condition, price_minor = excluded.price_minor,
                lat = excluded.lat, lng = excluded.lng, photo_count = excluded.photo_count,
                cover_thumb = excluded.cover_thumb, cover_w400 = excluded.cover_w400,
                cover_thumb_webp = excluded.cover_thumb_webp, cover_w400_webp = excluded.cover_w400_webp,
                general_area = excluded.general_area, published_at = excluded.published_at, updated_at = now()
            where search_items.version < excluded.version
            """);
        object Nullable(object? value) => value ?? DBNull.Value;
        command.Parameters.Add(new() { Value = d.ItemId });
        command.Parameters.Add(new() { Value = d.Version });
        command.Parameters.Add(new() { Value = d.OwnerId });
        command.Parameters.Add(new() { Value = d.Status });
        command.Parameters.Add(new() { Value = d.Title });
        command.Parameters.Add(new() { Value = d.Description });
        command.Parameters.Add(new() { Value = d.Tags.ToArray() });
        command.Parameters.Add(new() { Value = d.CategoryId });
        command.Parameters.Add(new() { Value = d.Condition });
        command.Parameters.Add(new() { Value = d.PriceMinor });
        command.Parameters.Add(new() { Value = d.Lat });
        command.Parameters.Add(new() { Value = d.Lng });
        command.Parameters.Add(new() { Value = d.PhotoCount });
        command.Parameters.Add(new() { Value = Nullable(d.CoverThumb), NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = Nullable(d.CoverW400), NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = Nullable(d.CoverThumbWebp), NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = Nullable(d.CoverW400Webp), NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = d.GeneralArea });
        command.Parameters.Add(new() { Value = Nullable(d.PublishedAt), NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<SearchPage> SearchAsync(SearchCriteria criteria, SearchSettings settings, DateTimeOffset now,
        CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var (tree, queryLexemes) = await LoadCategoriesAsync(connection, criteria.Q, cancellationToken);
        if (criteria.CategoryId is { } categoryId && !tree.Contains(categoryId))
            throw DomainException.Validation("category", "unknown_value", "No such category.");

        var sql = new SearchSql(criteria, criteria.CategoryId is { } filter ? tree.Subtree(filter) : null);
        var categoryMatches = tree.MatchingQuery(queryLexemes);
        var publishedFrom = sql.RanksByAgeAndBoundedSignals
            ? await PublishedFromAsync(connection, sql, criteria, settings, categoryMatches, now, cancellationToken)
            : null;
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { sql.PageAndFacets(settings, categoryMatches, now, publishedFrom) } };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);

        var items = new List<ItemCard>();
        var categoryCounts = new Dictionary<Guid, long>();
        var conditionCounts = new Dictionary<string, long>(StringComparer.Ordinal);
        var priceCounts = new long[SearchSql.PriceBuckets.Length];
        const int facet = SearchSql.FacetColumn;
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.IsDBNull(facet))
            {
                items.Add(ReadCard(reader));
                continue;
            }
            var count = reader.GetInt64(facet + 4);
            switch (reader.GetInt32(facet))
            {
                case 1: categoryCounts[reader.GetGuid(facet + 1)] = count; break;
                case 2: conditionCounts[reader.GetString(facet + 2)] = count; break;
                default: priceCounts[reader.GetInt32(facet + 3)] = count; break;
            }
        }
        var facets = new SearchFacets(
            tree.Facets(criteria.CategoryId, categoryCounts),
            ItemConditions.All.Select(c => new ConditionFacet(c, conditionCounts.GetValueOrDefault(c))).ToList(),
            SearchSql.PriceBuckets.Select((from, i) => new PriceFacet(from,
                i + 1 < SearchSql.PriceBuckets.Length ? SearchSql.PriceBuckets[i + 1] : null, priceCounts[i])).ToList());
        return new SearchPage(items, criteria.Page, criteria.PageSize, conditionCounts.Values.Sum(), facets);
    }

    /// <summary>
    /// Relevance without q: the oldest publication time an item can have and still reach the page, so the ranking
    /// reads recent items only instead of scoring every match (SPEC.md 5.3 is unchanged: any item left out scores
    /// strictly below the page's last one). Null when no such bound exists.
    /// </summary>
    private static async Task<DateTimeOffset?> PublishedFromAsync(NpgsqlConnection connection, SearchSql sql,
        SearchCriteria criteria, SearchSettings settings, IReadOnlyList<Guid> categoryMatches, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        // The newest matches give a floor for the page's last score; sampling beyond the page end brings that floor
        // close to the real one on a busy catalogue, for the price of scoring a few hundred rows.
        var sample = Math.Max(2 * sql.PageEnd, 200);
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { sql.ScoreFloor(settings, categoryMatches, now, sample) } };
        if (await batch.ExecuteScalarAsync(cancellationToken) is not double floor) return null;
        var w = settings.Weights;
        var otherSignalsMax = (criteria.Point is null ? 0 : w.Proximity) + w.PhotoCount + w.Reputation * SearchSql.ReputationSignalMax
                              + (categoryMatches.Count > 0 ? w.CategoryMatch : 0);
        // One second of slack: timestamps are rounded to microseconds on the way, and ranking more rows is always safe.
        return RankingSignals.AgeCutoffDays(w, otherSignalsMax, floor) is { } days
            ? now - TimeSpan.FromDays(days) - TimeSpan.FromSeconds(1)
            : null;
    }

    private ItemCard ReadCard(NpgsqlDataReader r)
    {
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        var thumb = Text(5);
        var ownerId = r.GetGuid(12);
        return new ItemCard(
            r.GetGuid(0), r.GetString(1), r.GetInt64(2), r.GetString(3), r.GetGuid(4),
            thumb is null ? null : new CoverPhoto(thumb, Text(6) ?? thumb, Text(7) ?? thumb, Text(8) ?? thumb),
            r.GetInt32(9), r.GetString(10),
            r.IsDBNull(17) ? null : Math.Round((decimal)r.GetDouble(17), 1, MidpointRounding.AwayFromZero),
            new PublicProfileLite(ownerId, r.GetString(13), $"{avatarBaseUrl}/api/v1/users/{ownerId}/avatar.svg",
                r.IsDBNull(15) ? null : (decimal)r.GetDouble(15), r.GetInt32(16), r.GetBoolean(14)),
            r.GetFieldValue<DateTimeOffset>(11),
            r.IsDBNull(18) ? null : Math.Round((decimal)r.GetDouble(18), 4, MidpointRounding.AwayFromZero));
    }

    /// <summary>The category tree, and q's English lexemes for the categoryMatch signal, in one round trip.</summary>
    private static async Task<(CategoryTree Tree, IReadOnlySet<string> QueryLexemes)> LoadCategoriesAsync(
        NpgsqlConnection connection, string q, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            select id, name, parent_id, tsvector_to_array(to_tsvector('english', name)) from categories
            union all
            select null, null, null, tsvector_to_array(to_tsvector('english', $1))
            """, connection);
        command.Parameters.Add(new() { Value = q, NpgsqlDbType = NpgsqlDbType.Text });
        var nodes = new List<CategoryTree.Node>();
        IReadOnlySet<string> queryLexemes = new HashSet<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var lexemes = reader.GetFieldValue<string[]>(3).ToHashSet(StringComparer.Ordinal);
            if (reader.IsDBNull(0)) queryLexemes = lexemes;
            else nodes.Add(new(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetGuid(2), lexemes));
        }
        return (new CategoryTree(nodes), queryLexemes);
    }

    public async Task<IReadOnlyList<Suggestion>> SuggestAsync(string? q, CancellationToken cancellationToken = default)
    {
        var text = (q ?? "").Trim().ToLowerInvariant();
        if (text.Length is < 2 or > 50) return [];
        // Categories first (name prefix, then trigram similarity), then distinct item titles: a word of the title
        // starts with q (a prefix of one of the title's word suffixes, 0028) or the title is similar (only a title with
        // few enough trigrams can be: 0028). search_titles counts every active item; a title carried only by items of
        // deleted owners is left out.
        await using var batch = dataSource.CreateBatch();
        var categories = new NpgsqlBatchCommand("""
            select id, name from categories
            where active and (starts_with(lower(name), $1) or similarity(lower(name), $1) >= 0.3)
            order by starts_with(lower(name), $1) desc, similarity(lower(name), $1) desc, name
            limit 10
            """);
        categories.Parameters.Add(new() { Value = text });
        var titles = new NpgsqlBatchCommand("""
            with gone as (
                select s.title, count(*) as items from users u join search_items s on s.owner_id = u.id
                where u.deleted_at is not null and s.status = 'active' group by s.title)
            select title from (
                select distinct on (lower(m.title)) m.title, similarity(lower(m.title), $1) as sim
                from (select x.title from search_title_suffixes x where starts_with(x.suffix, $1)
                      union
                      select t.title from search_titles t
                      where t.trigrams <= (array_length(show_trgm($1), 1) / show_limit())::integer + 1 and lower(t.title) % $1) m
                where not exists (select from gone g join search_titles t on t.title = g.title where g.title = m.title and g.items >= t.items)
                order by lower(m.title), sim desc
            ) t
            order by sim desc, title
            limit 20
            """);
        titles.Parameters.Add(new() { Value = text });
        batch.BatchCommands.Add(categories);
        batch.BatchCommands.Add(titles);

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var suggestions = new List<Suggestion>();
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            if (seen.Add(reader.GetString(1))) suggestions.Add(new("category", reader.GetString(1), reader.GetGuid(0)));
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            if (seen.Add(reader.GetString(0))) suggestions.Add(new("item", reader.GetString(0), null));
        return suggestions.Take(MaxSuggestions).ToList();
    }
}
