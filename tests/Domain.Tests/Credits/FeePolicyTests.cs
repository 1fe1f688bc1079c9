using NeXChange.Credits;

namespace NeXChange.Domain.Tests.Credits;

public class FeePolicyTests
{
    [Theory]
    [InlineData(100, 203)]
    [InlineData(1_000, 237)]
    [InlineData(4_999, 386)]
    [InlineData(5_000, 387)]
    [InlineData(10_000, 574)]
    [InlineData(13_333, 699)]
    [InlineData(128_013, 4_999)]
    [InlineData(128_014, 5_000)]
    [InlineData(1_000_000, 5_000)]
    public void default_fee_matches_the_spec_vectors(long priceMinor, long feeMinor) =>
        Assert.Equal(feeMinor, new DefaultFeePolicy().FeeFor(priceMinor));

    [Fact]
    public void default_fee_rounds_half_up_at_exact_halves()
    {
        // 5 000 × 375 / 10 000 = 187.5 → 188; 4 999 gives 187.4625 → 187.
        Assert.Equal(199 + 188, new DefaultFeePolicy().FeeFor(5_000));
        Assert.Equal(199 + 187, new DefaultFeePolicy().FeeFor(4_999));
    }

    [Theory]
    [InlineData(100)]
    [InlineData(10_000)]
    [InlineData(1_000_000)]
    public void zero_policy_charges_nothing(long priceMinor) => Assert.Equal(0, new ZeroFeePolicy().FeeFor(priceMinor));

    [Fact]
    public void a_negative_price_has_no_fee() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new DefaultFeePolicy().FeeFor(-1));
}
