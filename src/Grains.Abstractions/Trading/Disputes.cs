namespace NeXChange.Trading;

public static class DisputeResolutions
{
    public const string RefundFull = "refund_full";
    public const string RefundPartial = "refund_partial";
    public const string Release = "release";
    public const string Relist = "relist";

    public static readonly IReadOnlyList<string> All = [RefundFull, RefundPartial, Release, Relist];
}

public static class DisputeReasons
{
    public static readonly IReadOnlyList<string> All = ["not_as_described", "damaged", "wrong_item", "no_show", "unsafe", "other"];
}

/// <summary>What a party submits: its text and 0–5 evidence images as uploaded (SPEC.md 6.8, 4.5).</summary>
[GenerateSerializer, Alias("NeXChange.Trading.DisputeSubmission")]
public sealed record DisputeSubmission([property: Id(0)] string Description, [property: Id(1)] IReadOnlyList<byte[]> Evidence)
{
    public const int MaxEvidence = 5;

    // Evidence bytes never reach a log line (Orleans traces request bodies).
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Evidence = ").Append(Evidence.Count);
        return true;
    }
}

[GenerateSerializer, Alias("NeXChange.Trading.DisputeResolution")]
public sealed record DisputeResolution(
    [property: Id(0)] string Resolution,
    [property: Id(1)] long? RefundMinor,
    [property: Id(2)] string AtFault,
    [property: Id(3)] string Note);

/// <summary>The other party's answer; <see cref="Evidence"/> holds signed image URLs, for moderators only.</summary>
[GenerateSerializer, Alias("NeXChange.Trading.DisputeResponseView")]
public sealed record DisputeResponseView([property: Id(0)] string Description, [property: Id(1)] IReadOnlyList<string> Evidence,
    [property: Id(2)] DateTimeOffset CreatedAt);

/// <summary>
/// A dispute (SPEC.md 6.8) as its viewer may see it: the parties see status, reason and outcome, and only their own
/// text; moderators see everything. Fields a viewer may not see are null.
/// </summary>
[GenerateSerializer, Alias("NeXChange.Trading.DisputeView")]
public sealed record DisputeView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid TradeId,
    [property: Id(2)] Guid OpenedBy,
    [property: Id(3)] string Reason,
    [property: Id(4)] string? Description,
    [property: Id(5)] IReadOnlyList<string> Evidence,
    [property: Id(6)] DisputeResponseView? Response,
    [property: Id(7)] string Status,
    [property: Id(8)] bool Escalated,
    [property: Id(9)] DateTimeOffset CreatedAt,
    [property: Id(10)] string? Resolution,
    [property: Id(11)] long? RefundMinor,
    [property: Id(12)] string? AtFault,
    [property: Id(13)] string? Note,
    [property: Id(14)] Guid? ResolvedBy,
    [property: Id(15)] DateTimeOffset? ResolvedAt,
    [property: Id(16)] Guid? TransactionId);

[GenerateSerializer, Alias("NeXChange.Trading.ResolvedDispute")]
public sealed record ResolvedDispute([property: Id(0)] DisputeView Dispute, [property: Id(1)] TradeView Trade, [property: Id(2)] Guid? TransactionId);

/// <summary>A queue row: the dispute with a short summary of its trade (SPEC.md 8.6).</summary>
[GenerateSerializer, Alias("NeXChange.Trading.DisputeQueueItem")]
public sealed record DisputeQueueItem(
    [property: Id(0)] DisputeView Dispute,
    [property: Id(1)] Guid ItemId,
    [property: Id(2)] string ItemTitle,
    [property: Id(3)] string TradeStatus,
    [property: Id(4)] long? AgreedPriceMinor);

[GenerateSerializer, Alias("NeXChange.Trading.DisputePage")]
public sealed record DisputePage([property: Id(0)] IReadOnlyList<DisputeQueueItem> Items, [property: Id(1)] string? NextBefore);

/// <summary>The moderators' dispute queue (SPEC.md 8.6): escalated first, then oldest. Stateless.</summary>
public interface IDisputeQueueGrain : IGrainWithIntegerKey
{
    Task<DisputePage> List(string? status, bool? escalated, string? before, int limit);

    /// <summary>The trade a dispute belongs to; not_found for an unknown dispute.</summary>
    Task<Guid> TradeOf(Guid disputeId);
}
