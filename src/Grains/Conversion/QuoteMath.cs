namespace NeXChange.Conversion;

/// <summary>
/// The integer formulas of SPEC.md 7.1. The spread always favours the platform: a cash-out is priced above mid (fewer
/// sats for the credits), a top-up below it (more sats for the credits). Rounding is half away from zero (2.1).
/// </summary>
public static class QuoteMath
{
    public const int SpreadBps = 200;
    public const long SatsPerBtc = 100_000_000;
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    private const long BpsDenominator = 10_000;

    public static long Rate(string direction, long midMinorPerBtc) => direction switch
    {
        ConversionDirections.CreditsToBtc => RoundDiv(midMinorPerBtc * (BpsDenominator + SpreadBps), BpsDenominator),
        ConversionDirections.BtcToCredits => RoundDiv(midMinorPerBtc * (BpsDenominator - SpreadBps), BpsDenominator),
        _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, "Unknown direction."),
    };

    /// <summary>What the user receives (cash-out) or must deposit (top-up) for <paramref name="amountMinor"/> at this rate.</summary>
    public static long Sats(long amountMinor, long rateMinorPerBtc) => RoundDiv(amountMinor * SatsPerBtc, rateMinorPerBtc);

    /// <summary>n / d rounded half away from zero, for n ≥ 0 and d > 0.</summary>
    private static long RoundDiv(long n, long d)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(d);
        var (quotient, remainder) = Math.DivRem(n, d);
        // remainder ≥ d − remainder, written without the overflow of 2 × remainder.
        return remainder >= d - remainder ? quotient + 1 : quotient;
    }
}
