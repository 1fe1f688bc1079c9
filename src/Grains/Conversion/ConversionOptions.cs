namespace NeXChange.Conversion;

public enum PriceFeedKind
{
    Sandbox,
    Http,
}

/// <summary>Configuration section <c>Conversion</c> (SPEC.md 7).</summary>
public sealed class ConversionOptions
{
    public const string Section = "Conversion";

    /// <summary><c>Conversion:Feed</c>; unset means Sandbox outside the Production environment and Http in it.</summary>
    public PriceFeedKind? Feed { get; set; }

    /// <summary><c>Conversion:PriceFeedUrl</c>: the HTTP feed answers GET with <c>{"midMinorPerBtc": int, "observedAt": RFC 3339}</c>.</summary>
    public string? PriceFeedUrl { get; set; }

    /// <summary>A poll that takes longer counts as no reading; well under the 10-second sampling period.</summary>
    public int PriceFeedTimeoutSeconds { get; set; } = 5;

    /// <summary><c>Conversion:Paused</c>: the operator's maintenance switch (breaker reason <c>maintenance</c>).</summary>
    public bool Paused { get; set; }

    public bool IsValid() =>
        PriceFeedTimeoutSeconds is >= 1 and <= 9
        && (PriceFeedUrl is null || Uri.TryCreate(PriceFeedUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        && (Feed != PriceFeedKind.Http || PriceFeedUrl is not null);
}
