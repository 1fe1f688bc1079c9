namespace NeXChange.Conversion;

/// <summary>A payout to ask of the partner; the conversion id is the partner's idempotency key.</summary>
public sealed record PayoutRequest(Guid ConversionId, long BtcSats, string Address);

/// <summary>The partner's definitive answer to a payout request: accepted (its outcome comes by webhook) or refused.</summary>
public sealed record PayoutAnswer(bool Accepted, string? RefusalReason)
{
    public static readonly PayoutAnswer Accept = new(true, null);

    public static PayoutAnswer Refuse(string reason) => new(false, reason);
}

/// <summary>A deposit address to open for a top-up of <see cref="BtcSats"/>, valid until <see cref="ExpiresAt"/>.</summary>
public sealed record DepositRequest(Guid ConversionId, long BtcSats, DateTimeOffset ExpiresAt);

/// <summary>
/// The custodial partner (SPEC.md 7.3-7.5). A call that throws (unreachable, timed out, a 5xx) is transient: its
/// effect is unknown, so a payout is asked again (the partner dedupes by conversion id) and never refunded on that
/// ground; only a <see cref="PayoutAnswer"/> that refuses, or a <c>payout_failed</c> webhook, gives the credits back.
/// </summary>
public interface ICustodyPartner
{
    /// <summary>False when no partner is configured: executions are refused before anything happens.</summary>
    bool Enabled { get; }

    bool IsValidAddress(string address);

    Task<PayoutAnswer> RequestPayoutAsync(PayoutRequest request, CancellationToken cancellationToken);

    /// <summary>The address the user deposits to.</summary>
    Task<string> OpenDepositAsync(DepositRequest request, CancellationToken cancellationToken);
}

/// <summary>Production without a partner adapter: executions are refused (503) and nothing is ever sent.</summary>
public sealed class DisabledCustodyPartner : ICustodyPartner
{
    public bool Enabled => false;

    public bool IsValidAddress(string address) => false;

    public Task<PayoutAnswer> RequestPayoutAsync(PayoutRequest request, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("No custodial partner is configured (Custody:Mode).");

    public Task<string> OpenDepositAsync(DepositRequest request, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("No custodial partner is configured (Custody:Mode).");
}
