using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace NeXChange.Conversion;

/// <summary>
/// SPEC.md 7.5's deterministic partner, built in. It accepts every payout request and answers later by webhook:
/// <c>payout_processing</c>, then <c>payout_failed</c> iff the conversion id's hash falls under FailurePercent, else
/// <c>payout_completed</c>. A deposit address is derived from the conversion id; the deposit is confirmed with the
/// quoted sats, one sat short, or never (DepositBehaviour).
/// </summary>
public sealed partial class SandboxCustodyPartner(IOptions<CustodyOptions> options, SandboxWebhookSender webhooks) : ICustodyPartner
{
    public bool Enabled => true;

    public bool IsValidAddress(string address) => AddressPattern().IsMatch(address);

    public Task<PayoutAnswer> RequestPayoutAsync(PayoutRequest request, CancellationToken cancellationToken)
    {
        if (options.Value.PayoutUnreachable) throw new TimeoutException("The sandbox partner is set to never answer payout requests.");
        var id = request.ConversionId;
        var outcome = PayoutFails(id, options.Value.FailurePercent)
            ? Event(id, CustodyEventTypes.PayoutFailed) with { Reason = "sandbox_failure" }
            : Event(id, CustodyEventTypes.PayoutCompleted) with { PartnerTxId = PartnerTxId(id) };
        webhooks.Send([Event(id, CustodyEventTypes.PayoutProcessing), outcome]);
        return Task.FromResult(PayoutAnswer.Accept);
    }

    public Task<string> OpenDepositAsync(DepositRequest request, CancellationToken cancellationToken)
    {
        var id = request.ConversionId;
        long? sats = options.Value.DepositBehaviour switch
        {
            DepositBehaviour.Confirm => request.BtcSats,
            DepositBehaviour.Underpay => request.BtcSats - 1,
            _ => null,
        };
        if (sats is { } received)
        {
            webhooks.Send([
                Event(id, CustodyEventTypes.DepositDetected),
                Event(id, CustodyEventTypes.DepositConfirmed) with { BtcSats = received, PartnerTxId = PartnerTxId(id) },
            ]);
        }
        return Task.FromResult("tb1q" + Hash(id)[..38]);
    }

    /// <summary>(first 4 bytes of SHA-256(conversion id) as a big-endian uint32) mod 100 &lt; failurePercent.</summary>
    public static bool PayoutFails(Guid conversionId, int failurePercent) =>
        BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(conversionId.ToString()))) % 100 < failurePercent;

    public static string PartnerTxId(Guid conversionId) => Hash(conversionId);

    private static string Hash(Guid conversionId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(conversionId.ToString())));

    private static SandboxWebhook Event(Guid conversionId, string type) =>
        new($"sandbox:{conversionId}:{type}", type, conversionId, null, null, null);

    [GeneratedRegex("^(bc1|tb1)[a-z0-9]{20,80}$", RegexOptions.CultureInvariant)]
    private static partial Regex AddressPattern();
}
