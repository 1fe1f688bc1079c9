using NeXChange.Errors;
using NeXChange.Search;

namespace NeXChange.Domain.Tests.Search;

public sealed class SearchWeightsRulesTests
{
    private static IReadOnlyList<FieldError> Refused(SearchWeights weights) =>
        Assert.Throws<DomainException>(() => SearchWeightsRules.Validate(weights)).Errors;

    private static Exception? Accepted(SearchWeights weights) => Record.Exception(() => SearchWeightsRules.Validate(weights));

    [Fact]
    public void the_defaults_are_valid() => Assert.Null(Accepted(new SearchWeights(0.5, SignalWeights.Default)));

    [Theory]
    [InlineData(0.10009)]
    [InlineData(0.09991)]
    public void a_sum_off_by_at_most_0_0001_is_accepted(double freshness) =>
        Assert.Null(Accepted(new SearchWeights(0.5, SignalWeights.Default with { Freshness = freshness })));

    [Fact]
    public void a_sum_off_by_more_than_0_0001_is_refused() =>
        Assert.Contains(Refused(new SearchWeights(0.5, SignalWeights.Default with { Freshness = 0.1002 })),
            e => e.Field == "weights" && e.Code == SearchWeightsRules.SumNotOne);

    [Fact]
    public void each_weight_and_the_text_blend_stay_in_0_to_1()
    {
        var errors = Refused(new SearchWeights(1.2, new SignalWeights(1.1, -0.1, 0, 0, 0, 0)));
        Assert.Equal(["textBlend", "weights.proximity", "weights.recency"],
            errors.Where(e => e.Code == FieldCodes.OutOfRange).Select(e => e.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void nan_is_refused() =>
        Assert.Contains(Refused(new SearchWeights(double.NaN, SignalWeights.Default)), e => e.Field == "textBlend");
}
