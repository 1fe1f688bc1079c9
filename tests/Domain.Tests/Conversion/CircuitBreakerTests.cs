using NeXChange.Conversion;

namespace NeXChange.Domain.Tests.Conversion;

public class CircuitBreakerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static PriceWindow Window(params (int SecondsAgo, long Mid)[] samples)
    {
        var window = new PriceWindow();
        foreach (var (ago, mid) in samples.OrderByDescending(s => s.SecondsAgo))
            Assert.True(window.Add(new PriceObservation(mid, T0.AddSeconds(-ago)), T0));
        return window;
    }

    private static ConversionStatus At(PriceWindow window, int secondsLater = 0, DateTimeOffset? pausedUntil = null, bool maintenance = false) =>
        CircuitBreaker.Evaluate(window, T0.AddSeconds(secondsLater), pausedUntil, maintenance);

    [Fact]
    public void a_fresh_steady_feed_is_normal_and_reports_the_latest_sample()
    {
        var status = At(Window((20, 10_000_000), (10, 10_100_000), (0, 10_050_000)));
        Assert.Equal(new ConversionStatus(BreakerStatuses.Normal, null, 10_050_000, T0, null), status);
    }

    [Fact]
    public void without_any_sample_the_feed_is_stale()
    {
        Assert.Equal(new ConversionStatus(BreakerStatuses.Paused, BreakerReasons.StaleFeed, null, null, 30), At(new PriceWindow()));
    }

    [Theory]
    [InlineData(30, BreakerStatuses.Normal, null, null)]
    [InlineData(31, BreakerStatuses.Degraded, BreakerReasons.StaleFeed, null)]
    [InlineData(120, BreakerStatuses.Degraded, BreakerReasons.StaleFeed, null)]
    [InlineData(121, BreakerStatuses.Paused, BreakerReasons.StaleFeed, 30L)]
    public void the_latest_sample_age_degrades_after_30_s_and_pauses_after_120_s(int age, string status, string? reason, long? retryAfter)
    {
        var result = At(Window((0, 10_000_000)), secondsLater: age);
        Assert.Equal((status, reason, retryAfter), (result.Status, result.Reason, result.RetryAfterSeconds));
    }

    [Theory]
    [InlineData(10_250_000, BreakerStatuses.Normal, null)]        // exactly 2.5 %: not above it
    [InlineData(10_250_001, BreakerStatuses.Degraded, BreakerReasons.Volatility)]
    [InlineData(10_500_000, BreakerStatuses.Degraded, BreakerReasons.Volatility)] // exactly 5 %: degraded, not paused
    [InlineData(10_500_001, BreakerStatuses.Paused, BreakerReasons.Volatility)]
    public void the_five_minute_movement_degrades_above_2_5_percent_and_pauses_above_5(long high, string status, string? reason)
    {
        var window = Window((299, 10_000_000), (0, high));
        var result = At(window);
        Assert.Equal((status, reason), (result.Status, result.Reason));
        Assert.Equal(status == BreakerStatuses.Paused, CircuitBreaker.Trips(window, T0));
    }

    [Fact]
    public void samples_older_than_five_minutes_no_longer_count_toward_the_movement()
    {
        var window = new PriceWindow();
        window.Add(new PriceObservation(10_000_000, T0.AddSeconds(-301)), T0.AddSeconds(-301));
        window.Add(new PriceObservation(11_000_000, T0), T0);
        Assert.Equal(BreakerStatuses.Normal, At(window).Status);
    }

    [Fact]
    public void a_volatility_pause_holds_for_its_five_minutes_after_the_swing_left_the_window()
    {
        // Tripped at T0; the swing's low sample is gone, the window is calm, the pause still runs.
        var window = Window((0, 10_600_000));
        var pausedUntil = T0 + CircuitBreaker.VolatilityPause;
        Assert.Equal(new ConversionStatus(BreakerStatuses.Paused, BreakerReasons.Volatility, 10_600_000, T0, 300), At(window, pausedUntil: pausedUntil));
        Assert.Equal(60, At(window, secondsLater: 240, pausedUntil: pausedUntil).RetryAfterSeconds);
        Assert.Equal(1, At(window, secondsLater: 299, pausedUntil: pausedUntil).RetryAfterSeconds);
    }

    [Fact]
    public void the_operator_switch_pauses_for_maintenance_over_every_other_reason()
    {
        var result = At(new PriceWindow(), pausedUntil: T0.AddMinutes(1), maintenance: true);
        Assert.Equal((BreakerStatuses.Paused, BreakerReasons.Maintenance, 300L), (result.Status, result.Reason, result.RetryAfterSeconds));
    }

    [Fact]
    public void an_older_reading_or_the_latest_polled_again_is_not_a_new_sample()
    {
        var window = Window((0, 10_000_000));
        Assert.False(window.Add(new PriceObservation(10_000_000, T0), T0));
        Assert.False(window.Add(new PriceObservation(20_000_000, T0.AddSeconds(-5)), T0));
        Assert.Equal(10_000_000, window.Latest!.MidMinorPerBtc);
        Assert.True(window.Add(new PriceObservation(10_600_000, T0), T0));
        Assert.Equal(BreakerStatuses.Paused, At(window).Status);
    }

    [Fact]
    public void a_swing_still_in_the_window_when_the_pause_ran_out_pauses_until_its_oldest_sample_leaves()
    {
        var window = Window((200, 10_000_000), (0, 10_600_000));
        var result = At(window, pausedUntil: T0.AddSeconds(-1));
        Assert.Equal((BreakerStatuses.Paused, BreakerReasons.Volatility, 100L), (result.Status, result.Reason, result.RetryAfterSeconds));
    }
}
