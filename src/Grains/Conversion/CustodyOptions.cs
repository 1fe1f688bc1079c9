namespace NeXChange.Conversion;

public enum CustodyMode
{
    /// <summary>No custodial partner: quotes work, executions answer 503 service_unavailable.</summary>
    Disabled,

    /// <summary>SPEC.md 7.5's deterministic built-in partner.</summary>
    Sandbox,
}

public enum DepositBehaviour
{
    Confirm,
    Underpay,
    Never,
}

/// <summary>Configuration section <c>Custody</c> (SPEC.md 7.3-7.5).</summary>
public sealed class CustodyOptions
{
    public const string Section = "Custody";

    /// <summary>Unset: Sandbox outside Production; Disabled in Production, where no real partner adapter exists yet.</summary>
    public CustodyMode? Mode { get; set; }

    /// <summary>The shared webhook secret: the API verifies with it (and <see cref="PreviousWebhookSecret"/>), the sandbox signs with it.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>The secret being rotated out, still accepted by the API until it is removed.</summary>
    public string? PreviousWebhookSecret { get; set; }

    /// <summary>Where the sandbox posts its webhooks; unset: <c>{App:PublicBaseUrl}/api/v1/webhooks/custody</c>.</summary>
    public string? WebhookUrl { get; set; }

    /// <summary>Each call to the partner gives up after this long (and counts as a transient failure).</summary>
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>A payout request that fails transiently is retried after 1x, 2x and 4x this (SPEC.md 7.3: 2, 4, 8 s).</summary>
    public double RetryBaseSeconds { get; set; } = 2;

    /// <summary>Sandbox: seconds before its webhooks are sent (SPEC.md 7.5; tests use 0).</summary>
    public double DelaySeconds { get; set; } = 2;

    /// <summary>Sandbox: payouts fail iff the first 4 bytes of SHA-256(conversion id) as uint32 mod 100 &lt; this.</summary>
    public int FailurePercent { get; set; }

    public DepositBehaviour DepositBehaviour { get; set; } = DepositBehaviour.Confirm;

    /// <summary>Sandbox: every webhook is sent twice.</summary>
    public bool DuplicateWebhooks { get; set; }

    /// <summary>Sandbox: every payout request times out, as a partner that never answers (not in SPEC.md 7.5; for tests and drills).</summary>
    public bool PayoutUnreachable { get; set; }

    public bool IsValid() =>
        TimeoutSeconds is >= 1 and <= 60 && RetryBaseSeconds is >= 0 and <= 60 && DelaySeconds is >= 0 and <= 3600
        && FailurePercent is >= 0 and <= 100
        && (WebhookUrl is null || Uri.TryCreate(WebhookUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https");
}
