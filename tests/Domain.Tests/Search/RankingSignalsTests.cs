using NeXChange.Search;

namespace NeXChange.Domain.Tests.Search;

public sealed class RankingSignalsTests
{
    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(1, 0.904837)]
    [InlineData(3.5, 0.704688)]
    [InlineData(7, 0.496585)]
    [InlineData(7.01, 0)]
    public void freshness_follows_the_spec_vectors(double ageDays, double expected) =>
        Assert.Equal(expected, RankingSignals.Freshness(ageDays), 6);

    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(45, 0.5)]
    [InlineData(90, 0)]
    [InlineData(200, 0)]
    public void recency_falls_linearly_to_0_at_90_days(double ageDays, double expected) =>
        Assert.Equal(expected, RankingSignals.Recency(ageDays), 9);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(3, 0.5)]
    [InlineData(6, 1)]
    [InlineData(12, 1)]
    public void photo_count_saturates_at_6(int photos, double expected) =>
        Assert.Equal(expected, RankingSignals.PhotoCount(photos), 9);

    [Fact]
    public void reputation_without_ratings_is_neutral_and_blends_in_with_the_count()
    {
        Assert.Equal(0.5, RankingSignals.Reputation(null, 0));
        Assert.Equal(1.0, RankingSignals.Reputation(5, 10), 9);
        Assert.Equal(0.0, RankingSignals.Reputation(1, 25), 9);
        Assert.Equal(0.5 * 0.75 + 0.5 * 0.5, RankingSignals.Reputation(4, 5), 9);
    }

    [Fact]
    public void proximity_is_0_without_a_point_and_uses_the_radius_or_50_km()
    {
        Assert.Equal(0, RankingSignals.Proximity(null, null));
        Assert.Equal(0.5, RankingSignals.Proximity(25, null), 9);
        Assert.Equal(0.5, RankingSignals.Proximity(5, 10), 9);
        Assert.Equal(0, RankingSignals.Proximity(80, null));
    }

    [Fact]
    public void haversine_uses_the_mean_earth_radius_6371_0088_km()
    {
        // One degree of latitude on that sphere: 2πR / 360.
        Assert.Equal(2 * Math.PI * 6371.0088 / 360, RankingSignals.HaversineKm(new(10, 20), new(11, 20)), 9);
        Assert.Equal(0, RankingSignals.HaversineKm(new(41.88, -87.63), new(41.88, -87.63)));
    }

    [Fact]
    public void the_score_blends_text_rank_only_when_there_is_a_query()
    {
        var w = SignalWeights.Default;
        var s = 0.25 * 1 + 0.20 * 1 + 0.15 * 1 + 0.20 * 0.5 + 0.10 * 1 + 0.10 * 1;
        Assert.Equal(s, RankingSignals.Score(null, 0.5, w, 1, 1, 1, 0.5, 1, 1), 9);
        Assert.Equal(0.5 * 0.8 + 0.5 * s, RankingSignals.Score(0.8, 0.5, w, 1, 1, 1, 0.5, 1, 1), 9);
    }

    [Fact]
    public void age_counts_fractional_days_and_never_goes_negative()
    {
        var now = DateTimeOffset.Parse("2025-06-10T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(1.5, RankingSignals.AgeDays(now.AddHours(-36), now), 9);
        Assert.Equal(0, RankingSignals.AgeDays(now.AddHours(1), now));
    }
}
