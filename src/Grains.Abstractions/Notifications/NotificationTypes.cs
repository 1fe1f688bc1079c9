namespace NeXChange.Notifications;

/// <summary>The notification types of SPEC.md 6.10, as stored and as the API shows them.</summary>
public static class NotificationTypes
{
    public const string OfferReceived = "offer_received";
    public const string OfferCountered = "offer_countered";
    public const string OfferAccepted = "offer_accepted";
    public const string OfferDeclined = "offer_declined";
    public const string OfferWithdrawn = "offer_withdrawn";
    public const string OfferExpired = "offer_expired";
    public const string TradeCancelled = "trade_cancelled";
    public const string CancelRequested = "cancel_requested";
    public const string LocationProposed = "location_proposed";
    public const string LocationAgreed = "location_agreed";
    public const string TimeProposed = "time_proposed";
    public const string TimeAgreed = "time_agreed";
    public const string EscrowHeld = "escrow_held";
    public const string EscrowFailed = "escrow_failed";
    public const string MeetupReminder = "meetup_reminder";
    public const string PartnerArrived = "partner_arrived";
    public const string NoShowPossible = "no_show_possible";
    public const string HandoffConfirmed = "handoff_confirmed";
    public const string TradeCompleted = "trade_completed";
    public const string DisputeOpened = "dispute_opened";
    public const string DisputeResponse = "dispute_response";
    public const string DisputeResolved = "dispute_resolved";
    public const string FeedbackVisible = "feedback_visible";
    public const string ItemReview = "item_review";
    public const string VerificationDecided = "verification_decided";
    public const string TransferReceived = "transfer_received";
    public const string GrantReceived = "grant_received";
    public const string ConversionCompleted = "conversion_completed";
    public const string ConversionFailed = "conversion_failed";
    public const string DataRequestCompleted = "data_request_completed";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        OfferReceived, OfferCountered, OfferAccepted, OfferDeclined, OfferWithdrawn, OfferExpired, TradeCancelled,
        CancelRequested, LocationProposed, LocationAgreed, TimeProposed, TimeAgreed, EscrowHeld, EscrowFailed,
        MeetupReminder, PartnerArrived, NoShowPossible, HandoffConfirmed, TradeCompleted, DisputeOpened,
        DisputeResponse, DisputeResolved, FeedbackVisible, ItemReview, VerificationDecided, TransferReceived,
        GrantReceived, ConversionCompleted, ConversionFailed, DataRequestCompleted,
    };
}
