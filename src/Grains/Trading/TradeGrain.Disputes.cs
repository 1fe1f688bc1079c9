using NeXChange.Audit;
using NeXChange.Errors;
using NeXChange.Items;
using NeXChange.Notifications;

namespace NeXChange.Trading;

/// <summary>Disputes (SPEC.md 6.8, T21–T22): opened by a party while escrow is held, answered once, resolved by a moderator.</summary>
public sealed partial class TradeGrain
{
    public const int MonthlyDisputeCap = 5;
    private const string OpenDisputeStatus = "open";
    private const string ResolvedDisputeStatus = "resolved";

    public async Task<DisputeView> OpenDispute(TradeCaller caller, string reason, DisputeSubmission submission)
    {
        var callerId = caller.UserId;
        var role = await Begin(caller, TradeTransitions.OpenDispute);
        if (S.Dispute is not null) throw TradeTransitions.InvalidTransition(S.Status);
        var now = Now;
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        if (await disputes.OpenedSinceAsync(callerId, monthStart) >= MonthlyDisputeCap)
            throw new DomainException(ErrorCodes.DisputeLimitReached, $"At most {MonthlyDisputeCap} disputes can be opened per month.");
        var evidence = await StoreEvidence(submission);
        S.Dispute = new DisputeRecord(Guid.CreateVersion7(now), callerId, reason, submission.Description, now, Evidence: evidence);
        S.DisputeId = S.Dispute.Id;
        S.Status = TradeStatuses.Disputed;
        S.CancelRequestedBy = null;
        Notify(NotificationTypes.DisputeOpened, [PartnerOf(role)]);
        Notify(NotificationTypes.DisputeOpened, await disputes.ModeratorIdsAsync());
        await Commit();
        return await DisputeFor(callerId);
    }

    public async Task<DisputeView> RespondToDispute(TradeCaller caller, DisputeSubmission submission)
    {
        var callerId = caller.UserId;
        var role = PartyRoleOf(caller);
        await Catchup();
        if (S.Dispute is not { Status: OpenDisputeStatus } dispute) throw TradeTransitions.InvalidTransition(S.Status);
        if (dispute.OpenedBy == callerId) throw new DomainException(ErrorCodes.Forbidden, "The party who opened the dispute cannot answer it.");
        if (dispute.Response is not null) throw new DomainException(ErrorCodes.AlreadySubmitted, "The dispute was already answered.");
        S.Dispute = dispute with { Response = new DisputeAnswer(submission.Description, await StoreEvidence(submission), Now) };
        Notify(NotificationTypes.DisputeResponse, [PartnerOf(role)]);
        await Commit();
        return await DisputeFor(callerId);
    }

    public async Task<DisputeView> GetDispute(TradeCaller caller)
    {
        if (!Exists || (!caller.IsModerator && caller.UserId != S.BuyerId && caller.UserId != S.SellerId)) throw DomainException.NotFound();
        await Catchup();
        return S.Dispute is null ? throw DomainException.NotFound() : await DisputeFor(caller.IsModerator && caller.UserId != S.BuyerId && caller.UserId != S.SellerId ? null : caller.UserId);
    }

    public async Task<ResolvedDispute> ResolveDispute(Guid moderatorId, DisputeResolution resolution)
    {
        if (!Exists) throw DomainException.NotFound();
        await Catchup();
        TradeTransitions.Check(S.Status, TradeTransitions.ResolveDispute, TradeActor.Moderator);
        var price = S.AgreedPriceMinor!.Value;
        var (movement, itemAction) = resolution.Resolution switch
        {
            DisputeResolutions.RefundFull => (RefundStep, ItemWorkflow.ArchiveAfterRefund),
            DisputeResolutions.Relist => (RefundStep, ItemWorkflow.ReleaseReservation),
            DisputeResolutions.Release => (ReleaseStep, ItemWorkflow.CompleteTrade),
            DisputeResolutions.RefundPartial => (SplitStep, ItemWorkflow.CompleteTrade),
            _ => throw DomainException.Validation("resolution", FieldCodes.UnknownValue, "resolution is one of refund_full, refund_partial, release, relist."),
        };
        long? refund = null;
        if (resolution.Resolution == DisputeResolutions.RefundPartial)
        {
            refund = resolution.RefundMinor is { } r && r >= 1 && r <= price - 1 ? r
                : throw DomainException.Validation("refundMinor", FieldCodes.OutOfRange, $"refundMinor is between 1 and {price - 1} for a partial refund.");
        }
        else if (resolution.RefundMinor is not null)
        {
            throw DomainException.Validation("refundMinor", FieldCodes.InvalidValue, "refundMinor is only for refund_partial.");
        }
        var now = Now;
        S.Dispute = S.Dispute! with
        {
            Status = ResolvedDisputeStatus, Resolution = resolution.Resolution, RefundMinor = refund, AtFault = resolution.AtFault,
            Note = resolution.Note, ResolvedBy = moderatorId, ResolvedAt = now,
        };
        S.Resolution = resolution.Resolution;
        // Reputation counts a refund against the party at fault; release and partial refund are successes for both.
        S.AtFault = movement == RefundStep ? resolution.AtFault : null;
        await Audit(AuditActions.DisputeResolved, moderatorId, new
        {
            disputeId = S.Dispute.Id, resolution = resolution.Resolution, refundMinor = refund, atFault = resolution.AtFault,
        });
        Notify(NotificationTypes.DisputeResolved, Both, refund, resolution.Resolution);
        await Settle(TradeStatuses.Resolved, EndReasons.DisputeResolved, movement, itemAction, refund);
        return new ResolvedDispute(await DisputeFor(null), await View(null), S.SettlementTransactionId);
    }

    /// <summary>
    /// Parties see status, reason and outcome and only their own text; a moderator (null) sees everything, evidence
    /// as signed URLs (1 h). Evidence is never shown to a party, its author included: moderators judge it.
    /// </summary>
    private async Task<DisputeView> DisputeFor(Guid? viewerId)
    {
        var d = S.Dispute!;
        var moderator = viewerId is null;
        var opener = viewerId == d.OpenedBy;
        DisputeResponseView? response = null;
        if (d.Response is { } answer && (moderator || (!opener && viewerId is not null)))
            response = new DisputeResponseView(answer.Description, moderator ? await EvidenceUrls(answer.Evidence) : [], answer.CreatedAt);
        return new DisputeView(d.Id, Id, d.OpenedBy, d.Reason, moderator || opener ? d.Description : null,
            moderator ? await EvidenceUrls(d.Evidence ?? []) : [], response, d.Status, d.Escalated, d.CreatedAt, d.Resolution,
            d.RefundMinor, d.AtFault, moderator ? d.Note : null, d.ResolvedBy, d.ResolvedAt,
            d.Status == ResolvedDisputeStatus ? S.SettlementTransactionId : null);
    }

    /// <summary>Each image through the photo pipeline (SPEC.md 4.5), kept privately under the trade; refused as a whole if one is bad.</summary>
    private async Task<IReadOnlyList<Images.StoredPhoto>> StoreEvidence(DisputeSubmission submission)
    {
        if (submission.Evidence.Count > DisputeSubmission.MaxEvidence)
            throw DomainException.Validation("evidence", FieldCodes.OutOfRange, $"At most {DisputeSubmission.MaxEvidence} evidence images.");
        var stored = new List<Images.StoredPhoto>();
        foreach (var image in submission.Evidence) stored.Add(await photos.StoreEvidenceAsync(Id, image));
        return stored;
    }

    private async Task<IReadOnlyList<string>> EvidenceUrls(IReadOnlyList<Images.StoredPhoto> evidence)
    {
        var urls = new List<string>();
        foreach (var photo in evidence) urls.Add((await photos.SignedUrlsAsync(photo)).Urls.W800);
        return urls;
    }

    /// <summary>72 h after opening, an open dispute is escalated and the moderators are told again (SPEC.md 6.7).</summary>
    private async Task EscalateDispute()
    {
        S.Dispute = S.Dispute! with { Escalated = true };
        Notify(NotificationTypes.DisputeOpened, await disputes.ModeratorIdsAsync(), reason: "escalated");
        await Commit();
    }
}
