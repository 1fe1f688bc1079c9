using NeXChange.Search;

namespace NeXChange.Domain.Tests.Search;

public sealed class AgeCutoffTests
{
    private static double TimePart(SignalWeights w, double ageDays) =>
        w.Recency * RankingSignals.Recency(ageDays) + w.Freshness * RankingSignals.Freshness(ageDays);

    [Theory]
    [InlineData(0.35, 0.55)]
    [InlineData(0.35, 0.40)]
    [InlineData(0.60, 0.75)]
    [InlineData(0.25, 0.56)]
    public void every_item_older_than_the_cutoff_scores_below_the_floor(double otherSignalsMax, double floor)
    {
        var w = SignalWeights.Default;
        var cutoff = RankingSignals.AgeCutoffDays(w, otherSignalsMax, floor);

        Assert.NotNull(cutoff);
        for (var age = cutoff.Value; age <= 120; age += 0.001)
            Assert.True(TimePart(w, age) + otherSignalsMax < floor - RankingSignals.BoundMargin, $"age {age}");
        // Tight: a little younger than the cutoff could still reach the floor.
        if (cutoff > 0.001) Assert.True(TimePart(w, cutoff.Value - 0.001) + otherSignalsMax >= floor - RankingSignals.BoundMargin);
    }

    [Fact]
    public void with_the_default_weights_a_floor_of_055_needs_only_the_last_week()
    {
        // 0.35 = photoCount 0.15 + reputation 0.20 at their maximum; past 7 days freshness is 0 and recency ≤ 0.2.
        var cutoff = RankingSignals.AgeCutoffDays(SignalWeights.Default, 0.35, 0.55);
        Assert.InRange(cutoff!.Value, 7, 7.01);
    }

    [Fact]
    public void no_cutoff_when_the_other_signals_alone_reach_the_floor() =>
        Assert.Null(RankingSignals.AgeCutoffDays(SignalWeights.Default, 0.35, 0.35));

    [Fact]
    public void a_floor_above_every_possible_time_part_needs_no_history() =>
        Assert.Equal(0, RankingSignals.AgeCutoffDays(SignalWeights.Default, 0.25, 0.56 + 0.01));
}
