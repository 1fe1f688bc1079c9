using NeXChange.Conversion;

namespace NeXChange.Domain.Tests.Conversion;

public class QuoteMathTests
{
    [Theory]
    [InlineData(ConversionDirections.CreditsToBtc, 10_200_000, 98_039)]
    [InlineData(ConversionDirections.BtcToCredits, 9_800_000, 102_041)]
    public void the_spec_vectors_at_mid_10_000_000_and_amount_10_000(string direction, long rate, long sats)
    {
        Assert.Equal(rate, QuoteMath.Rate(direction, 10_000_000));
        Assert.Equal(sats, QuoteMath.Sats(10_000, rate));
    }

    [Fact]
    public void a_rate_with_an_exact_half_rounds_away_from_zero()
    {
        // 10 000 025 × 1.02 = 10 200 025.5 and × 0.98 = 9 800 024.5: both halves go up.
        Assert.Equal(10_200_026, QuoteMath.Rate(ConversionDirections.CreditsToBtc, 10_000_025));
        Assert.Equal(9_800_025, QuoteMath.Rate(ConversionDirections.BtcToCredits, 10_000_025));
    }

    [Fact]
    public void sats_with_an_exact_half_round_away_from_zero_and_below_a_half_round_down()
    {
        // 31 372 549 × 1.02 = 31 999 999.98 → 32 000 000; 100 × 10^8 / 32 000 000 = 312.5 → 313.
        var rate = QuoteMath.Rate(ConversionDirections.CreditsToBtc, 31_372_549);
        Assert.Equal(32_000_000, rate);
        Assert.Equal(313, QuoteMath.Sats(100, rate));
        // 10^10 / 32 000 001 = 312.4999…: just under the half.
        Assert.Equal(312, QuoteMath.Sats(100, 32_000_001));
    }

    [Fact]
    public void the_spread_favours_the_platform_in_both_directions()
    {
        Assert.True(QuoteMath.Sats(10_000, QuoteMath.Rate(ConversionDirections.CreditsToBtc, 10_000_000)) < 100_000);
        Assert.True(QuoteMath.Sats(10_000, QuoteMath.Rate(ConversionDirections.BtcToCredits, 10_000_000)) > 100_000);
    }

    [Fact]
    public void the_largest_amount_at_the_largest_plausible_price_is_exact()
    {
        var rate = QuoteMath.Rate(ConversionDirections.CreditsToBtc, PriceLimits.MaxMidMinorPerBtc);
        Assert.Equal(102_000_000_000_000, rate);
        Assert.Equal(1, QuoteMath.Sats(1_000_000, rate));
        Assert.Equal(0, QuoteMath.Sats(100, rate));
    }
}
