namespace NeXChange.Search;

/// <summary>
/// The ranking formulas of SPEC.md 5.3 and the haversine distance of 5.1. The PostgreSQL adapter evaluates the same
/// formulas in SQL (<see cref="SearchSql"/>); the tests hold both to these definitions.
/// </summary>
public static class RankingSignals
{
    public const double EarthRadiusKm = 6371.0088;
    public const double DefaultProximityRadiusKm = 50;

    public static double HaversineKm(GeoPoint a, GeoPoint b)
    {
        static double Rad(double degrees) => degrees * Math.PI / 180;
        var h = Math.Pow(Math.Sin(Rad(b.Lat - a.Lat) / 2), 2)
                + Math.Cos(Rad(a.Lat)) * Math.Cos(Rad(b.Lat)) * Math.Pow(Math.Sin(Rad(b.Lng - a.Lng) / 2), 2);
        return 2 * EarthRadiusKm * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    /// <summary>No point → 0; else <c>max(0, 1 − d/R)</c> with R the radius or 50 km.</summary>
    public static double Proximity(double? distanceKm, double? radiusKm) =>
        distanceKm is { } d ? Math.Max(0, 1 - d / (radiusKm ?? DefaultProximityRadiusKm)) : 0;

    public static double Recency(double ageDays) => Math.Max(0, 1 - ageDays / 90);

    public static double PhotoCount(int photoCount) => Math.Min(photoCount, 6) / 6.0;

    public static double Reputation(double? ratingAverage, int ratingCount)
    {
        var c = Math.Min(ratingCount, 10) / 10.0;
        return c * ((ratingAverage ?? 1) - 1) / 4 + (1 - c) * 0.5;
    }

    public static double Freshness(double ageDays) => ageDays <= 7 ? Math.Exp(-0.1 * ageDays) : 0;

    /// <summary>Fractional days; an item published "in the future" (clock skew) counts as brand new.</summary>
    public static double AgeDays(DateTimeOffset publishedAt, DateTimeOffset now) => Math.Max(0, (now - publishedAt).TotalSeconds / 86_400);

    /// <summary><c>b·T + (1 − b)·S</c> when q is non-empty (<paramref name="textRank"/> given), else S.</summary>
    public static double Score(double? textRank, double textBlend, SignalWeights w,
        double proximity, double recency, double photoCount, double reputation, double categoryMatch, double freshness)
    {
        var s = w.Proximity * proximity + w.Recency * recency + w.PhotoCount * photoCount
                + w.Reputation * reputation + w.CategoryMatch * categoryMatch + w.Freshness * freshness;
        return textRank is { } t ? textBlend * t + (1 - textBlend) * s : s;
    }

    /// <summary>Slack between the scores PostgreSQL computes and this bound, far above their rounding differences.</summary>
    public const double BoundMargin = 1e-9;

    /// <summary>
    /// Relevance without q is <c>A(age) + B</c>: <c>A = w_recency·recency + w_freshness·freshness</c> never grows with
    /// age (weights are ≥ 0) and <c>B ≤ <paramref name="otherSignalsMax"/></c>. Returns an age beyond which every
    /// score is below <paramref name="scoreFloor"/> (by at least <see cref="BoundMargin"/>), or null when no age is
    /// old enough, i.e. when the other signals alone can reach the floor.
    /// </summary>
    public static double? AgeCutoffDays(SignalWeights w, double otherSignalsMax, double scoreFloor)
    {
        var target = scoreFloor - BoundMargin - otherSignalsMax; // A(age) must stay below this
        if (target <= 0) return null;
        double TimePart(double ageDays) => w.Recency * Recency(ageDays) + w.Freshness * Freshness(ageDays);
        if (TimePart(0) < target) return 0;
        // TimePart(90) = 0 < target; bisect keeping TimePart(high) < target, which then holds for every older age.
        double low = 0, high = 90;
        for (var i = 0; i < 50; i++)
        {
            var middle = (low + high) / 2;
            if (TimePart(middle) < target) high = middle;
            else low = middle;
        }
        return high;
    }
}
