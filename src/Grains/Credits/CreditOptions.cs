namespace NeXChange.Credits;

/// <summary>SPEC.md 2.6 limits (configuration section <c>Limits</c>); all amounts in minor units.</summary>
public sealed class LimitOptions
{
    public const string Section = "Limits";

    public long SingleMovementMaxMinor { get; set; } = 1_000_000;
    public long TransferMinMinor { get; set; } = 1;
    public long DailyOutflowMinor { get; set; } = 5_000_000;
    public int DailyOutflowCount { get; set; } = 100;

    public bool IsValid() =>
        TransferMinMinor >= 1 && SingleMovementMaxMinor >= TransferMinMinor && DailyOutflowMinor >= 1 && DailyOutflowCount >= 1;
}

/// <summary>Configuration section <c>Credits</c>.</summary>
public sealed class CreditOptions
{
    public const string Section = "Credits";

    /// <summary>G of <c>signup_grant</c> (SPEC.md 2.4).</summary>
    public long SignupGrantMinor { get; set; } = 10_000;

    public bool IsValid() => SignupGrantMinor >= 1;
}

public enum FeePolicyKind
{
    Default,
    Zero,
}

/// <summary>Configuration section <c>Fees</c>: the one switch <c>Fees:Policy</c> of SPEC.md 2.5.</summary>
public sealed class FeeOptions
{
    public const string Section = "Fees";

    public FeePolicyKind Policy { get; set; } = FeePolicyKind.Default;
}
