using NeXChange.Errors;

namespace NeXChange.Items;

/// <summary>
/// The item status workflow of SPEC.md 4.3 as one table: (from, action) → to. Guards that need more than the
/// status (photos, safety outcome, reservation) are applied by the grain before it asks for the transition.
/// </summary>
public static class ItemWorkflow
{
    public const string Publish = "publish";
    public const string PublishForReview = "publish_for_review";
    public const string Flag = "flag";
    public const string Approve = "approve";
    public const string Archive = "archive";
    public const string Reserve = "reserve";
    public const string ReleaseReservation = "release_reservation";
    public const string CompleteTrade = "complete_trade";
    public const string ArchiveAfterRefund = "archive_after_refund";

    private static readonly Dictionary<(string From, string Action), string> Table = new()
    {
        [(ItemStatuses.Draft, Publish)] = ItemStatuses.Active,                       // I2
        [(ItemStatuses.Draft, PublishForReview)] = ItemStatuses.PendingReview,       // I3
        [(ItemStatuses.Active, Flag)] = ItemStatuses.PendingReview,                  // I4
        [(ItemStatuses.PendingReview, Approve)] = ItemStatuses.Active,               // I5
        [(ItemStatuses.Draft, Archive)] = ItemStatuses.Archived,                     // I6
        [(ItemStatuses.Active, Archive)] = ItemStatuses.Archived,                    // I6
        [(ItemStatuses.PendingReview, Archive)] = ItemStatuses.Archived,             // I6
        [(ItemStatuses.Active, Reserve)] = ItemStatuses.Reserved,                    // I7
        [(ItemStatuses.Reserved, ReleaseReservation)] = ItemStatuses.Active,         // I8
        [(ItemStatuses.Reserved, CompleteTrade)] = ItemStatuses.Traded,              // I9
        [(ItemStatuses.Reserved, ArchiveAfterRefund)] = ItemStatuses.Archived,       // I10
    };

    /// <summary>The status after <paramref name="action"/>, or 409 invalid_transition with currentStatus.</summary>
    public static string Next(string from, string action) =>
        Table.TryGetValue((from, action), out var to) ? to : throw InvalidTransition(from);

    public static bool Allows(string from, string action) => Table.ContainsKey((from, action));

    /// <summary>PATCH and photo changes are allowed while the item is draft, active or pending review.</summary>
    public static bool IsEditable(string status) =>
        status is ItemStatuses.Draft or ItemStatuses.Active or ItemStatuses.PendingReview;

    /// <summary>Active, reserved and traded items are public; the rest only for the owner and moderators.</summary>
    public static bool IsPublic(string status) =>
        status is ItemStatuses.Active or ItemStatuses.Reserved or ItemStatuses.Traded;

    public static DomainException InvalidTransition(string current) =>
        new(ErrorCodes.InvalidTransition, $"Not allowed while the item is {current}.",
            extensions: new Dictionary<string, object> { ["currentStatus"] = current });
}
