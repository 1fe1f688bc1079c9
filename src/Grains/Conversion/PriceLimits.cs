namespace NeXChange.Conversion;

/// <summary>The prices a feed may report, from the sandbox's dev endpoint or the HTTP source alike.</summary>
public static class PriceLimits
{
    /// <summary>
    /// 10^14 minor credits (10^12 credits) per BTC: far above any real price, and low enough that mid × 10 200 of the
    /// quote formula stays exact in a 64-bit integer.
    /// </summary>
    public const long MaxMidMinorPerBtc = 100_000_000_000_000;

    public static bool IsPlausible(long midMinorPerBtc) => midMinorPerBtc is >= 1 and <= MaxMidMinorPerBtc;
}
