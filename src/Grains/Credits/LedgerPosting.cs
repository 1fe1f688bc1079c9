using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NeXChange.Audit;
using NeXChange.Conversion;
using NeXChange.Notifications;

namespace NeXChange.Credits;

public sealed record LedgerLeg(AccountRef Account, long AmountMinor);

/// <summary>A change to a hold made in the same database transaction as the posting.</summary>
public abstract record HoldChange(Guid TradeId);

public sealed record OpenHold(Guid TradeId, Guid BuyerId, long AmountMinor, long FeeMinor) : HoldChange(TradeId);

public sealed record CloseHold(Guid TradeId, string Status) : HoldChange(TradeId);

/// <summary>One balanced ledger transaction to post (SPEC.md 2.3), identified by its idempotency key.</summary>
public sealed record LedgerPosting(string Kind, string IdempotencyKey, IReadOnlyList<LedgerLeg> Legs)
{
    public Guid? InitiatorId { get; init; }
    public Guid? CounterpartyId { get; init; }
    public Guid? TradeId { get; init; }
    public Guid? ConversionId { get; init; }
    public string? Memo { get; init; }
    public string? Reason { get; init; }
    public HoldChange? Hold { get; init; }

    /// <summary>The conversion row this posting starts or ends, written in its database transaction.</summary>
    public ConversionChange? Conversion { get; init; }

    /// <summary>The transaction a <c>reversal</c> negates (SPEC.md 2.4).</summary>
    public Guid? ReversesTransactionId { get; init; }

    /// <summary>
    /// The caller's Idempotency-Key where the ledger key is the system's own (<c>reversal:{id}</c>): it is part of the
    /// request hash, so a retry of the same request replays while a second request with another key conflicts.
    /// </summary>
    public string? RequestKey { get; init; }

    /// <summary>An audit row committed in the posting's database transaction: it exists exactly when the posting does.</summary>
    public AuditEntry? Audit { get; init; }

    /// <summary>Feed entries committed in the posting's database transaction (never mailed types): no posting without its notice.</summary>
    public PostingNotice? Notice { get; init; }

    /// <summary>
    /// SHA-256 over everything that defines the request except the key itself: kind, the legs in a canonical
    /// order, the references and texts. A replay with the same key must produce the same hash (SPEC.md 2.7).
    /// Strings are length-prefixed so no two different requests share a canonical form.
    /// </summary>
    public string RequestHash()
    {
        var text = new StringBuilder();
        void Add(string name, string? value) =>
            text.Append(name).Append('=').Append(value is null ? "~" : $"{value.Length}:{value}").Append('\n');

        Add("kind", Kind);
        // The shard is left out: it follows from the references, and postings stored before shards existed
        // (all on shard 0) must still replay rather than conflict.
        foreach (var leg in Legs.OrderBy(l => l.Account.Kind).ThenBy(l => l.Account.OwnerId))
            Add("leg", $"{leg.Account.Name}:{leg.AmountMinor.ToString(CultureInfo.InvariantCulture)}");
        Add("initiator", InitiatorId?.ToString());
        Add("counterparty", CounterpartyId?.ToString());
        Add("trade", TradeId?.ToString());
        Add("conversion", ConversionId?.ToString());
        Add("memo", Memo);
        Add("reason", Reason);
        Add("hold", Hold switch
        {
            OpenHold o => FormattableString.Invariant($"open:{o.TradeId}:{o.BuyerId}:{o.AmountMinor}:{o.FeeMinor}"),
            CloseHold c => $"close:{c.TradeId}:{c.Status}",
            _ => null,
        });
        // Appended only when set, so the hashes of postings stored before these fields existed stay the same.
        if (ReversesTransactionId is { } reverses) Add("reverses", reverses.ToString());
        if (RequestKey is not null) Add("requestKey", RequestKey);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}

/// <summary>
/// The posted (or replayed) transaction. <see cref="BalancesAfter"/> maps each account the posting touched to its
/// balance right after it; empty on a replay, where nothing moved.
/// </summary>
public sealed record PostResult(Guid TransactionId, DateTimeOffset CreatedAt, bool Replayed,
    IReadOnlyDictionary<Guid, long> BalancesAfter);
