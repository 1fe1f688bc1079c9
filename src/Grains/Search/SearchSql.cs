using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace NeXChange.Search;

/// <summary>
/// Builds the result and facet statements of one search. The SQL text is assembled only from fixed fragments; every
/// value the client sent travels as a parameter. The search terms and the point stay in the WHERE clause itself
/// (DESIGN.md 7a: moved into a subquery, the planner fell back to a full scan).
/// </summary>
public sealed class SearchSql
{
    /// <summary>Lower bounds of the 8 price buckets of SPEC.md 5.4; the last one is open.</summary>
    public static readonly long[] PriceBuckets = [0, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000];

    // Haversine between the item's coarse point and the search point, R = 6371.0088 km (SPEC.md 5.1). PostGIS'
    // geography distance uses the spheroid and ST_DistanceSphere another radius, so the formula is written out.
    private const string Distance =
        "(2 * 6371.0088 * asin(least(1, sqrt(power(sin(radians(s.lat - @lat) / 2), 2)"
        + " + cos(radians(@lat)) * cos(radians(s.lat)) * power(sin(radians(s.lng - @lng) / 2), 2)))))";

    private const string Query = "websearch_to_tsquery('english', @q)";
    // In double precision, like the weighted sum it enters: numeric arithmetic costs ~1 µs an operation a row.
    private const string AgeDays = "greatest(0, extract(epoch from (@now - s.published_at))::double precision / 86400)";

    // Sellers have no ratings yet (the feedback module adds them): this lateral is where the seller's rating, looked
    // up by s.owner_id, slots in (and ReputationSignalMax with it). The users row itself is joined only to the page:
    // joined to every match, a row estimate of 1 (text, radius and haversine multiplied) once made the planner scan
    // users per match, 600 ms.
    private const string From =
        " from search_items s cross join lateral (select null::double precision as average, 0 as count) rating";

    /// <summary>
    /// The largest reputation signal the lateral above can give: 0.5, a seller without ratings (SPEC.md 5.3). The age
    /// cutoff of a relevance search without q bounds the other signals by it; it becomes 1 once ratings slot in.
    /// </summary>
    public const double ReputationSignalMax = 0.5;

    private readonly SearchCriteria criteria;
    private readonly List<NpgsqlParameter> filterParameters = [];
    private readonly string where;
    private readonly bool countsFromCells;
    private readonly string cellFilter;

    public SearchSql(SearchCriteria criteria, IReadOnlyList<Guid>? categoryFilter)
    {
        this.criteria = criteria;
        // Owners are never removed while they have items (items.owner_id references users), so "not deleted" is
        // "no deleted row": a probe into the small users_deleted index (0008).
        var w = new StringBuilder(" where s.status = 'active'"
            + " and not exists (select from users d where d.id = s.owner_id and d.deleted_at is not null)");
        if (HasText)
        {
            Add("q", criteria.Q, NpgsqlDbType.Text);
            w.Append(" and s.vector @@ ").Append(Query);
        }
        if (categoryFilter is not null)
        {
            Add("categories", categoryFilter.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Uuid);
            w.Append(" and s.category_id = any(@categories)");
        }
        if (criteria.Conditions.Count > 0)
        {
            Add("conditions", criteria.Conditions.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text);
            w.Append(" and s.condition = any(@conditions)");
        }
        if (criteria.MinPriceMinor is { } min)
        {
            Add("min_price", min, NpgsqlDbType.Bigint);
            w.Append(" and s.price_minor >= @min_price");
        }
        if (criteria.MaxPriceMinor is { } max)
        {
            Add("max_price", max, NpgsqlDbType.Bigint);
            w.Append(" and s.price_minor <= @max_price");
        }
        if (criteria.Point is { } point)
        {
            Add("lat", point.Lat, NpgsqlDbType.Double);
            Add("lng", point.Lng, NpgsqlDbType.Double);
        }
        if (criteria.RadiusKm is { } radius)
        {
            // The GiST index narrows to a slightly larger sphere; the exact haversine decides.
            Add("radius_km", radius, NpgsqlDbType.Double);
            Add("prefilter_m", radius * 1000 * 1.001 + 100, NpgsqlDbType.Double);
            w.Append(" and st_dwithin(s.point, st_setsrid(st_makepoint(@lng, @lat), 4326)::geography, @prefilter_m, false)")
             .Append(" and ").Append(Distance).Append(" <= @radius_km");
        }
        if (criteria.VerifiedOnly)
            w.Append(" and exists (select from users v where v.id = s.owner_id and v.verification_status = 'verified')");
        where = w.ToString();
        // Filters on facet dimensions only (category, condition) select whole cells of the maintained counts, so those
        // count the result; a point without a radius only ranks and filters nothing.
        countsFromCells = !HasText && criteria.MinPriceMinor is null && criteria.MaxPriceMinor is null && criteria.RadiusKm is null
                          && !criteria.VerifiedOnly;
        cellFilter = (categoryFilter is null ? "" : " and c.category_id = any(@categories)")
                     + (criteria.Conditions.Count == 0 ? "" : " and c.condition = any(@conditions)");
    }

    private bool HasText => criteria.Q.Length > 0;

    /// <summary>
    /// Relevance without q: the score is a non-increasing function of age plus signals bounded by their weights, so
    /// the page can be looked for among recent items only (<see cref="RankingSignals.AgeCutoffDays"/>).
    /// </summary>
    public bool RanksByAgeAndBoundedSignals => criteria.Sort == SearchSorts.Relevance && !HasText;

    /// <summary>How many rows the ranking must get right: everything up to the end of the requested page.</summary>
    public int PageEnd => criteria.Page * criteria.PageSize;

    /// <summary>
    /// The page and the facets in one statement. Page rows come first, in page order, with <see cref="FacetColumn"/>
    /// null; then one row per facet count. A search with text or a radius scans its matches once (a materialized CTE
    /// of narrow columns) and takes both from it; other filters take the page from an index in page order and count
    /// the filtered rows; without filters other than category and condition the counts come from the maintained cells.
    /// With <paramref name="publishedFrom"/>, only items published then or later (or never) are ranked: the caller
    /// has proved that no older item can reach the page.
    /// </summary>
    public NpgsqlBatchCommand PageAndFacets(SearchSettings settings, IReadOnlyList<Guid> categoryMatches, DateTimeOffset now,
        DateTimeOffset? publishedFrom = null)
    {
        var parameters = new List<NpgsqlParameter>();
        var distance = criteria.Point is null ? "null::double precision" : Distance;
        var score = criteria.Sort == SearchSorts.Relevance ? Score(settings, categoryMatches, now, parameters) : "null::double precision";
        string? window = null;
        if (publishedFrom is { } from)
        {
            parameters.Add(Parameter("published_from", from, NpgsqlDbType.TimestampTz));
            window = "(s.published_at >= @published_from or s.published_at is null)";
        }
        // Column names only: the same list orders the page inside and the union outside.
        var order = criteria.Sort switch
        {
            SearchSorts.Newest => "published_at desc, item_id desc",
            SearchSorts.PriceAsc => "price_minor, published_at desc, item_id desc",
            SearchSorts.PriceDesc => "price_minor desc, published_at desc, item_id desc",
            SearchSorts.Distance => "distance_km, published_at desc, item_id desc",
            _ => "score desc, published_at desc, item_id desc",
        };
        parameters.Add(Parameter("limit", criteria.PageSize, NpgsqlDbType.Integer));
        parameters.Add(Parameter("offset", (criteria.Page - 1) * criteria.PageSize, NpgsqlDbType.Integer));
        const string matchColumns = "s.item_id, s.owner_id, s.published_at, s.price_minor, s.category_id, s.condition,"
                                    + " rating.average, rating.count";
        // The page straight from the table: an index in the page's order (or the window) stops the scan early.
        var pageFromTable = $"page as (select {matchColumns}, {distance} as distance_km, {score} as score" + From + where
                            + (window is null ? "" : " and " + window) + $" order by {order} limit @limit offset @offset)";
        const string bucket = "width_bucket(s.price_minor, @price_buckets)";
        static string GroupedFacets(string rows) =>
            $"select grouping(s.category_id, s.condition) as facet, s.category_id, s.condition, {bucket} as bucket,"
            + $" count(*) as count from {rows} group by grouping sets ((s.category_id), (s.condition), ({bucket}))";
        if (!countsFromCells) parameters.Add(Parameter("price_buckets", PriceBuckets[1..], NpgsqlDbType.Array | NpgsqlDbType.Bigint));
        string ctes;
        if (countsFromCells)
            ctes = $"{pageFromTable}, facets as ({MaintainedFacetCounts})";
        else if (!HasText && criteria.RadiusKm is null)
            ctes = $"{pageFromTable}, facets as ({GroupedFacets("search_items s" + where)})";
        else
        {
            // Text or radius: the matches come from the GIN or GiST index and the page must order all of them, so
            // both the page and the facets take them from one scan. Only the window's rows are scored (CASE).
            var ranked = window is null ? score : $"case when {window} then {score} end";
            ctes = $"matches as materialized (select {matchColumns}, {distance} as distance_km, {ranked} as score" + From + where + "),"
                   + " page as (select * from matches s" + (window is null ? "" : " where " + window)
                   + $" order by {order} limit @limit offset @offset),"
                   + $" facets as ({GroupedFacets("matches s")})";
        }
        return Statement($"with {ctes}"
               + " select p.item_id, i.title, p.price_minor, i.condition, p.category_id, i.cover_thumb, i.cover_w400,"
               + " i.cover_thumb_webp, i.cover_w400_webp, i.photo_count, i.general_area, p.published_at, p.owner_id,"
               + " u.display_name, u.verification_status = 'verified', p.average, p.count, p.distance_km, p.score,"
               + " null::integer as facet, null::uuid, null::text, null::integer, null::bigint"
               + " from page p join search_items i on i.item_id = p.item_id join users u on u.id = p.owner_id"
               + " union all"
               + " select null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,"
               + " null, null, f.facet, f.category_id, f.condition, f.bucket, f.count from facets f"
               + $" order by facet nulls first, {order}", parameters);
    }

    /// <summary>The first column of a facet row of <see cref="PageAndFacets"/>: 1 category, 2 condition, 3 price.</summary>
    public const int FacetColumn = 19;

    /// <summary>
    /// A lower bound of the <see cref="PageEnd"/>-th best score: that rank's score among the <paramref name="sample"/>
    /// newest matches (the true top ranks can only score higher). No row when fewer match.
    /// </summary>
    public NpgsqlBatchCommand ScoreFloor(SearchSettings settings, IReadOnlyList<Guid> categoryMatches, DateTimeOffset now, int sample)
    {
        var parameters = new List<NpgsqlParameter>();
        var score = Score(settings, categoryMatches, now, parameters);
        parameters.Add(Parameter("sample", sample, NpgsqlDbType.Integer));
        parameters.Add(Parameter("rank", PageEnd - 1, NpgsqlDbType.Integer));
        return Statement($"select score from (select {score} as score" + From + where
               + " order by s.published_at desc, s.item_id desc limit @sample) newest order by score desc offset @rank limit 1",
            parameters);
    }

    /// <summary>The relevance score of SPEC.md 5.3; adds its parameters to <paramref name="parameters"/>.</summary>
    private string Score(SearchSettings settings, IReadOnlyList<Guid> categoryMatches, DateTimeOffset now, List<NpgsqlParameter> parameters)
    {
        void Extra(string name, object value, NpgsqlDbType type) => parameters.Add(Parameter(name, value, type));
        var w = settings.Weights;
        Extra("now", now, NpgsqlDbType.TimestampTz);
        Extra("match_categories", categoryMatches.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Uuid);
        Extra("w_proximity", w.Proximity, NpgsqlDbType.Double);
        Extra("w_recency", w.Recency, NpgsqlDbType.Double);
        Extra("w_photo_count", w.PhotoCount, NpgsqlDbType.Double);
        Extra("w_reputation", w.Reputation, NpgsqlDbType.Double);
        Extra("w_category_match", w.CategoryMatch, NpgsqlDbType.Double);
        Extra("w_freshness", w.Freshness, NpgsqlDbType.Double);
        Extra("proximity_km", criteria.RadiusKm ?? RankingSignals.DefaultProximityRadiusKm, NpgsqlDbType.Double);
        var proximity = criteria.Point is null ? "0" : $"greatest(0, 1 - {Distance} / @proximity_km)";
        // The age is double precision (AgeDays): exp() of a numeric cost ~7 µs a row (57 ms over the 8 000 items of
        // the last week in a 100 000-item catalogue), and RankingSignals.Freshness runs in double as well.
        var signals =
            $"(@w_proximity * {proximity}"
            + $" + @w_recency * greatest(0, 1 - {AgeDays} / 90)"
            + " + @w_photo_count * least(s.photo_count, 6) / 6.0"
            + " + @w_reputation * (least(rating.count, 10) / 10.0 * (coalesce(rating.average, 1) - 1) / 4 + (1 - least(rating.count, 10) / 10.0) * 0.5)"
            + " + @w_category_match * (case when s.category_id = any(@match_categories) then 1 else 0 end)"
            + $" + @w_freshness * (case when {AgeDays} <= 7 then exp(-0.1 * {AgeDays}) else 0 end))";
        if (!HasText) return signals;
        Extra("text_blend", settings.TextBlend, NpgsqlDbType.Double);
        return $"(@text_blend * ts_rank(s.vector, {Query}, 32) + (1 - @text_blend) * {signals})";
    }

    /// <summary>
    /// The maintained per-cell counts (0008_search_performance.sql) of the cells the category and condition filters
    /// select, in place of a scan of every matching item, less the items of deleted owners that are still active;
    /// <c>grouping(...)</c> tells the three kinds of row apart.
    /// </summary>
    private string MaintainedFacetCounts =>
        "select grouping(category_id, condition) as facet, category_id, condition, price_bucket as bucket, sum(count)::bigint as count from ("
        + $" select c.category_id, c.condition, c.price_bucket, c.count from search_facet_counts c where true{cellFilter}"
        + " union all"
        + " select c.category_id, c.condition, search_price_bucket(c.price_minor), -count(*)"
        + " from users u join search_items c on c.owner_id = u.id"
        + $" where u.deleted_at is not null and c.status = 'active'{cellFilter} group by 1, 2, 3) cells"
        + " group by grouping sets ((category_id), (condition), (price_bucket))";

    private void Add(string name, object value, NpgsqlDbType type) => filterParameters.Add(Parameter(name, value, type));

    private static NpgsqlParameter Parameter(string name, object value, NpgsqlDbType type) => new(name, type) { Value = value };

    private NpgsqlBatchCommand Statement(string sql, IEnumerable<NpgsqlParameter> extra)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var p in filterParameters) command.Parameters.Add(p.Clone());
        foreach (var p in extra) command.Parameters.Add(p);
        return command;
    }
}
