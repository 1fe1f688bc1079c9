namespace NeXChange.Trading;

/// <summary>The <c>endReason</c> of a finished trade (SPEC.md 6.2).</summary>
public static class EndReasons
{
    public const string DeclinedBySeller = "declined_by_seller";
    public const string DeclinedByBuyer = "declined_by_buyer";
    public const string Withdrawn = "withdrawn";
    public const string OfferExpired = "offer_expired";
    public const string ItemReserved = "item_reserved";
    public const string ItemUnavailable = "item_unavailable";
    public const string AccountDeleted = "account_deleted";
    public const string ChangedMind = "changed_mind";
    public const string SchedulingTimeout = "scheduling_timeout";
    public const string CompletedByParties = "completed_by_parties";
    public const string AutoCompleted = "auto_completed";
    public const string NoShow = "no_show";
    public const string Mutual = "mutual";
    public const string NotAsDescribed = "not_as_described";
    public const string HoldTimeout = "hold_timeout";
    public const string ModeratorCancel = "moderator_cancel";
    public const string DisputeResolved = "dispute_resolved";
}
