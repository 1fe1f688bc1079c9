using NeXChange.Feedback;

namespace NeXChange.Domain.Tests.Feedback;

/// <summary>SPEC.md 6.9: the average to 2 decimals, the rates in percent to 1 decimal, null when nothing was counted.</summary>
public class ReputationTests
{
    private static Reputation Of(long ratingSum = 0, int ratingCount = 0, int successes = 0, int failures = 0, int onTime = 0,
        int windows = 0, int noShows = 0) =>
        Reputation.From(new ReputationCounts(ratingSum, ratingCount, successes, failures, onTime, windows, noShows));

    [Fact]
    public void nothing_counted_gives_null_average_and_rates_and_zero_counts()
    {
        Assert.Equal(new Reputation(null, 0, 0, null, null, 0), Of());
    }

    [Theory]
    [InlineData(13, 3, "4.33")] // 4.333…
    [InlineData(14, 3, "4.67")] // 4.666…
    [InlineData(33, 8, "4.13")] // 4.125: a half rounds away from zero, not to even
    [InlineData(9, 2, "4.5")]
    [InlineData(5, 1, "5")]
    public void the_rating_average_is_the_mean_rounded_to_two_decimals(long sum, int count, string expected)
    {
        var reputation = Of(ratingSum: sum, ratingCount: count);

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), reputation.RatingAverage);
        Assert.Equal(count, reputation.RatingCount);
    }

    [Theory]
    [InlineData(2, 1, "66.7")]  // 66.666…
    [InlineData(1, 2, "33.3")]  // 33.333…
    [InlineData(1, 15, "6.3")]  // 6.25: half away from zero
    [InlineData(3, 0, "100")]
    [InlineData(0, 4, "0")]
    public void the_completion_rate_is_successes_over_successes_and_failures_in_percent_to_one_decimal(int successes, int failures, string expected)
    {
        var reputation = Of(successes: successes, failures: failures);

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), reputation.CompletionRate);
        Assert.Equal(successes, reputation.CompletedTrades);
    }

    [Theory]
    [InlineData(1, 3, "33.3")]
    [InlineData(7, 8, "87.5")]
    [InlineData(1, 16, "6.3")] // 6.25
    [InlineData(0, 1, "0")]
    public void the_on_time_arrival_rate_is_on_time_arrivals_over_closed_windows_in_percent_to_one_decimal(int onTime, int windows, string expected)
    {
        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), Of(onTime: onTime, windows: windows).OnTimeArrivalRate);
    }

    [Fact]
    public void a_user_with_failures_only_has_a_rate_of_zero_and_one_with_no_closed_window_has_no_on_time_rate()
    {
        var reputation = Of(failures: 2, noShows: 2);

        Assert.Equal(0m, reputation.CompletionRate);
        Assert.Null(reputation.OnTimeArrivalRate);
        Assert.Equal(2, reputation.NoShowCount);
    }
}
