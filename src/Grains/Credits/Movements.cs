using NeXChange.Audit;
using NeXChange.Conversion;

namespace NeXChange.Credits;

/// <summary>The postings of the movement catalogue (SPEC.md 2.4): legs, references and deterministic keys.</summary>
public static class Movements
{
    public static LedgerPosting SignupGrant(Guid userId, long grantMinor) =>
        new(MovementKinds.SignupGrant, $"grant:signup:{userId}",
            [new(AccountRef.Issuance(userId), -grantMinor), new(AccountRef.Available(userId), grantMinor)]);

    public static LedgerPosting AdminGrant(Guid userId, AdminGrant grant) =>
        new(MovementKinds.AdminGrant, $"grant:admin:{grant.AdminId}:{grant.IdempotencyKey}",
            [new(AccountRef.Issuance(userId), -grant.AmountMinor), new(AccountRef.Available(userId), grant.AmountMinor)])
        {
            InitiatorId = grant.AdminId,
            CounterpartyId = userId,
            Reason = grant.Reason,
            // Committed with the grant, so the audit row exists exactly when the grant does (SPEC.md 3.13).
            Audit = new AuditEntry(AuditActions.AdminGrant, "user", userId.ToString(), grant.AdminId,
                new { amountMinor = grant.AmountMinor, reason = grant.Reason }),
        };

    public static LedgerPosting Transfer(Guid senderId, TransferOrder order) =>
        new(MovementKinds.Transfer, $"transfer:{senderId}:{order.IdempotencyKey}",
            [new(AccountRef.Available(senderId), -order.AmountMinor), new(AccountRef.Available(order.RecipientId), order.AmountMinor)])
        {
            InitiatorId = senderId,
            CounterpartyId = order.RecipientId,
            Memo = order.Memo,
        };

    /// <summary>AV −(P+F); ES +P; FEES +F — the FEES leg is left out when F = 0 because entries are never 0.</summary>
    public static LedgerPosting Hold(Guid buyerId, Guid tradeId, long priceMinor, long feeMinor) =>
        new(MovementKinds.EscrowHold, $"trade:{tradeId}:hold",
            WithoutZeroLegs(
                new(AccountRef.Available(buyerId), -(priceMinor + feeMinor)),
                new(AccountRef.Escrow(buyerId), priceMinor),
                new(AccountRef.Fees(tradeId), feeMinor)))
        {
            InitiatorId = buyerId,
            TradeId = tradeId,
            Hold = new OpenHold(tradeId, buyerId, priceMinor, feeMinor),
        };

    public static LedgerPosting Release(HoldRecord hold, Guid sellerId) =>
        new(MovementKinds.EscrowRelease, $"trade:{hold.TradeId}:release",
            [new(AccountRef.Escrow(hold.BuyerId), -hold.AmountMinor), new(AccountRef.Available(sellerId), hold.AmountMinor)])
        {
            InitiatorId = hold.BuyerId,
            CounterpartyId = sellerId,
            TradeId = hold.TradeId,
            Hold = new CloseHold(hold.TradeId, HoldStatuses.Released),
        };

    public static LedgerPosting Refund(HoldRecord hold) =>
        new(MovementKinds.EscrowRefund, $"trade:{hold.TradeId}:refund",
            WithoutZeroLegs(
                new(AccountRef.Escrow(hold.BuyerId), -hold.AmountMinor),
                new(AccountRef.Fees(hold.TradeId), -hold.FeeMinor),
                new(AccountRef.Available(hold.BuyerId), hold.AmountMinor + hold.FeeMinor)))
        {
            InitiatorId = hold.BuyerId,
            TradeId = hold.TradeId,
            Hold = new CloseHold(hold.TradeId, HoldStatuses.Refunded),
        };

    /// <summary>ES −P; AV(buyer) +R; AV(seller) +(P−R); the fee stays with the platform.</summary>
    public static LedgerPosting Split(HoldRecord hold, Guid sellerId, long refundMinor) =>
        new(MovementKinds.EscrowSplit, $"trade:{hold.TradeId}:split",
            [
                new(AccountRef.Escrow(hold.BuyerId), -hold.AmountMinor),
                new(AccountRef.Available(hold.BuyerId), refundMinor),
                new(AccountRef.Available(sellerId), hold.AmountMinor - refundMinor),
            ])
        {
            InitiatorId = hold.BuyerId,
            CounterpartyId = sellerId,
            TradeId = hold.TradeId,
            Hold = new CloseHold(hold.TradeId, HoldStatuses.Split),
        };

    /// <summary>AV(u) −X; ISS +X: the credits of a deleted account return to issuance (SPEC.md 3.10).</summary>
    public static LedgerPosting AccountClosure(Guid userId, long availableMinor) =>
        new(MovementKinds.AccountClosure, $"closure:{userId}",
            [new(AccountRef.Available(userId), -availableMinor), new(AccountRef.Issuance(userId), availableMinor)])
        {
            CounterpartyId = userId,
        };

    /// <summary>AV(u) −X; CLR +X: a cash-out's credits leave the user, and its conversion row is written with them.</summary>
    public static LedgerPosting ConversionOutStart(ConversionRecord row) =>
        new(MovementKinds.ConversionOutStart, $"conversion:{row.Id}:start",
            [new(AccountRef.Available(row.UserId), -row.AmountMinor), new(AccountRef.Clearing(row.Id), row.AmountMinor)])
        {
            InitiatorId = row.UserId,
            ConversionId = row.Id,
            Conversion = new OpenConversion(row),
        };

    /// <summary>
    /// The end of a conversion that moves credits (SPEC.md 7.4): a settled payout (CLR −X; ISS +X), a failed one
    /// (CLR −X; AV(u) +X) or a confirmed deposit (ISS −X; AV(u) +X), with the status change it makes.
    /// </summary>
    public static LedgerPosting ConversionEnd(string kind, ConversionRecord row, EndConversion end)
    {
        var (step, legs) = kind switch
        {
            MovementKinds.ConversionOutSettle => ("settle", new LedgerLeg[] { new(AccountRef.Clearing(row.Id), -row.AmountMinor), new(AccountRef.Issuance(row.Id), row.AmountMinor) }),
            MovementKinds.ConversionOutFail => ("fail", [new(AccountRef.Clearing(row.Id), -row.AmountMinor), new(AccountRef.Available(row.UserId), row.AmountMinor)]),
            MovementKinds.ConversionIn => ("credit", [new(AccountRef.Issuance(row.Id), -row.AmountMinor), new(AccountRef.Available(row.UserId), row.AmountMinor)]),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a conversion end."),
        };
        return new LedgerPosting(kind, $"conversion:{row.Id}:{step}", legs)
        {
            CounterpartyId = row.UserId,
            ConversionId = row.Id,
            Conversion = end,
        };
    }

    /// <summary>
    /// The negation of every entry of <paramref name="original"/>, linked to it, with the LEDGER_REVERSAL audit row
    /// committed alongside.
    /// </summary>
    public static LedgerPosting Reversal(LedgerTransaction original, Guid debitedUserId, ReversalOrder order) =>
        new(MovementKinds.Reversal, $"reversal:{original.Id}",
            original.Entries.Select(l => new LedgerLeg(new AccountRef(AccountKinds.FromDb(l.AccountKind), l.OwnerId, l.Shard), -l.AmountMinor)).ToArray())
        {
            InitiatorId = order.AdminId,
            CounterpartyId = debitedUserId,
            Reason = order.Reason,
            ReversesTransactionId = original.Id,
            RequestKey = order.IdempotencyKey,
            Audit = new AuditEntry(AuditActions.LedgerReversal, "ledger_transaction", original.Id.ToString(), order.AdminId,
                new { originalTransactionId = original.Id, kind = original.Kind, reason = order.Reason }),
        };

    private static LedgerLeg[] WithoutZeroLegs(params LedgerLeg[] legs) => legs.Where(l => l.AmountMinor != 0).ToArray();
}
