namespace NeXChange.Errors;

/// <summary>The stable error codes of SPEC.md 9.2; clients switch on these, so they never change.</summary>
public static class ErrorCodes
{
    public const string ValidationFailed = "validation_failed";
    public const string IdempotencyKeyMissing = "idempotency_key_missing";
    public const string InvalidCursor = "invalid_cursor";
    public const string TokenInvalid = "token_invalid";

    public const string Unauthenticated = "unauthenticated";
    public const string InvalidCredentials = "invalid_credentials";
    public const string RefreshTokenInvalid = "refresh_token_invalid";
    public const string RefreshTokenReused = "refresh_token_reused";
    public const string InvalidSignature = "invalid_signature";

    public const string Forbidden = "forbidden";
    public const string EmailNotVerified = "email_not_verified";
    public const string IdVerificationRequired = "id_verification_required";

    public const string NotFound = "not_found";

    public const string InvalidTransition = "invalid_transition";
    public const string IdempotencyConflict = "idempotency_conflict";
    public const string IdempotencyInProgress = "idempotency_in_progress";
    public const string EmailTaken = "email_taken";
    public const string NameTaken = "name_taken";
    public const string DisplayNameCooldown = "display_name_cooldown";
    public const string LastAdmin = "last_admin";
    public const string TradeExists = "trade_exists";
    public const string AlreadySubmitted = "already_submitted";
    public const string OutsideTimeWindow = "outside_time_window";
    public const string MeetupTimePassed = "meetup_time_passed";
    public const string RequestInProgress = "request_in_progress";
    public const string EscrowHeld = "escrow_held";
    public const string ConversionInFlight = "conversion_in_flight";
    public const string ArchiveNotReady = "archive_not_ready";
    public const string QuoteExpired = "quote_expired";
    public const string QuoteUsed = "quote_used";
    public const string DuplicateRequest = "duplicate_request";

    public const string PayloadTooLarge = "payload_too_large";
    public const string UnsupportedMediaType = "unsupported_media_type";

    public const string InsufficientFunds = "insufficient_funds";
    public const string LimitExceeded = "limit_exceeded";
    public const string RecipientNotEligible = "recipient_not_eligible";
    public const string ImageInvalid = "image_invalid";
    public const string PublishRequirementsNotMet = "publish_requirements_not_met";
    public const string PhotoLimitReached = "photo_limit_reached";
    public const string SafetyAcknowledgementRequired = "safety_acknowledgement_required";
    public const string DistanceConfirmationRequired = "distance_confirmation_required";
    public const string DisputeLimitReached = "dispute_limit_reached";
    public const string BalanceForfeitUnacknowledged = "balance_forfeit_unacknowledged";

    public const string RateLimited = "rate_limited";
    public const string InternalError = "internal_error";
    public const string ServiceUnavailable = "service_unavailable";
    public const string ConversionPaused = "conversion_paused";
}
