using Microsoft.Extensions.Logging;
using NeXChange.Audit;
using NeXChange.Credits;
using NeXChange.Errors;

namespace NeXChange.Conversion;

/// <summary>
/// The partner's events (SPEC.md 7.4 table). An event whose effect is already applied changes nothing; one that
/// contradicts where the conversion is (a payout failing after it completed, a payout event for a top-up) changes
/// nothing either and is audited <c>CONVERSION_CONFLICT</c> at critical level for the operator.
/// </summary>
public sealed partial class ConversionDeskGrain
{
    public async Task<string> ApplyPartnerEvent(CustodyEvent custodyEvent)
    {
        await ExpireDueAsync();
        var row = await conversions.FindAsync(UserId, custodyEvent.ConversionId) ?? throw DomainException.NotFound();
        var outcome = await ApplyAsync(row, custodyEvent);
        if (outcome == CustodyEventOutcomes.Conflict)
        {
            logger.LogCritical("Custody event {EventId} ({Type}) contradicts conversion {ConversionId} in status {Status}; ignored",
                custodyEvent.EventId, custodyEvent.Type, row.Id, row.Status);
            await audit.WriteAsync(new AuditEntry(AuditActions.ConversionConflict, "conversion", row.Id.ToString(), null,
                new { eventId = custodyEvent.EventId, type = custodyEvent.Type, status = row.Status }), Now());
        }
        return outcome;
    }

    private async Task<string> ApplyAsync(ConversionRecord row, CustodyEvent e)
    {
        var pending = row.Status == ConversionStatuses.PendingPayout;
        var awaiting = row.Status is ConversionStatuses.AwaitingDeposit or ConversionStatuses.Expired;
        switch (e.Type)
        {
            case CustodyEventTypes.PayoutProcessing or CustodyEventTypes.DepositDetected:
                return CustodyEventOutcomes.Ignored;
            case CustodyEventTypes.PayoutCompleted or CustodyEventTypes.PayoutFailed when !row.IsCashOut:
            case CustodyEventTypes.DepositConfirmed or CustodyEventTypes.DepositFailed when row.IsCashOut:
                return CustodyEventOutcomes.Conflict;
            case CustodyEventTypes.PayoutCompleted:
                return pending ? await EndAsync(row, ConversionStatuses.Completed, e.PartnerTxId, null) : Repeat(row, ConversionStatuses.Completed);
            case CustodyEventTypes.PayoutFailed:
                return pending ? await EndAsync(row, ConversionStatuses.Failed, e.PartnerTxId, e.Reason ?? "payout_failed") : Repeat(row, ConversionStatuses.Failed);
            case CustodyEventTypes.DepositConfirmed when e.BtcSats >= row.BtcSats:
                return awaiting ? await EndAsync(row, ConversionStatuses.Completed, e.PartnerTxId, null) : Repeat(row, ConversionStatuses.Completed);
            case CustodyEventTypes.DepositConfirmed:
                return awaiting ? await EndAsync(row, ConversionStatuses.Failed, e.PartnerTxId, "underpaid") : Repeat(row, ConversionStatuses.Failed);
            case CustodyEventTypes.DepositFailed:
                if (row.Status == ConversionStatuses.AwaitingDeposit) return await EndAsync(row, ConversionStatuses.Failed, e.PartnerTxId, e.Reason ?? "deposit_failed");
                return row.Status == ConversionStatuses.Expired ? CustodyEventOutcomes.Ignored : Repeat(row, ConversionStatuses.Failed);
            default:
                throw new ArgumentOutOfRangeException(nameof(e), e.Type, "Unknown custody event type.");
        }
    }

    /// <summary>An event that would move the conversion where it already is repeats an applied effect; anything else contradicts it.</summary>
    private static string Repeat(ConversionRecord row, string wouldBe) =>
        row.Status == wouldBe ? CustodyEventOutcomes.Ignored : CustodyEventOutcomes.Conflict;

    /// <summary>
    /// Ends the conversion: with its posting where credits move (settle, fail of a cash-out, credit of a deposit), in the
    /// same database transaction; then tells the owner and drops the duplicate guard.
    /// </summary>
    private async Task<string> EndAsync(ConversionRecord row, string status, string? partnerTxId, string? failureReason)
    {
        var end = new EndConversion(row.Id, status, partnerTxId, failureReason);
        string? kind = (row.IsCashOut, status) switch
        {
            (true, ConversionStatuses.Completed) => MovementKinds.ConversionOutSettle,
            (true, ConversionStatuses.Failed) => MovementKinds.ConversionOutFail,
            (false, ConversionStatuses.Completed) => MovementKinds.ConversionIn,
            _ => null,
        };
        if (kind is null) await conversions.EndAsync(end, Now());
        else await writer.PostAsync(Movements.ConversionEnd(kind, row, end));
        await notices.Ended(row, status, failureReason);
        await guard.ReleaseAsync(UserId, row.Direction, row.AmountMinor);
        return CustodyEventOutcomes.Applied;
    }
}
