namespace NeXChange.Credits;

/// <summary>The buyer's fee for a price (SPEC.md 2.5); computed and frozen on the trade when the price is agreed.</summary>
public interface IFeePolicy
{
    long FeeFor(long priceMinor);
}

/// <summary><c>min(199 + round(P × 375 / 10 000), 5 000)</c>, rounded half up with integers only.</summary>
public sealed class DefaultFeePolicy : IFeePolicy
{
    public const long MaxFeeMinor = 5_000;

    public long FeeFor(long priceMinor)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(priceMinor);
        // The cap is reached at 128 014; clamping first keeps P × 375 far from overflow for any long.
        var price = Math.Min(priceMinor, 1_000_000_000);
        return Math.Min(199 + (price * 375 + 5_000) / 10_000, MaxFeeMinor);
    }
}

public sealed class ZeroFeePolicy : IFeePolicy
{
    public long FeeFor(long priceMinor)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(priceMinor);
        return 0;
    }
}
