using NeXChange.Errors;

namespace NeXChange.Api.Problems;

/// <summary>HTTP status and fixed title of every stable error code (SPEC.md 9.2).</summary>
public static class ProblemCatalog
{
    private static readonly Dictionary<string, (int Status, string Title)> Codes = new()
    {
        [ErrorCodes.ValidationFailed] = (400, "The request is invalid."),
        [ErrorCodes.IdempotencyKeyMissing] = (400, "An Idempotency-Key header is required."),
        [ErrorCodes.InvalidCursor] = (400, "The paging cursor is invalid."),
        [ErrorCodes.TokenInvalid] = (400, "The token is invalid, expired or already used."),
        [ErrorCodes.Unauthenticated] = (401, "Authentication is required."),
        [ErrorCodes.InvalidCredentials] = (401, "The email or password is wrong."),
        [ErrorCodes.RefreshTokenInvalid] = (401, "The refresh token is invalid."),
        [ErrorCodes.RefreshTokenReused] = (401, "The refresh token was already used; the session is revoked."),
        [ErrorCodes.InvalidSignature] = (401, "The signature is missing or wrong."),
        [ErrorCodes.Forbidden] = (403, "This action is not allowed for the caller."),
        [ErrorCodes.EmailNotVerified] = (403, "The email address must be verified first."),
        [ErrorCodes.IdVerificationRequired] = (403, "A verified identity is required."),
        [ErrorCodes.NotFound] = (404, "The resource was not found."),
        [ErrorCodes.InvalidTransition] = (409, "The action is not allowed in the current state."),
        [ErrorCodes.IdempotencyConflict] = (409, "The Idempotency-Key was already used with another request."),
        [ErrorCodes.IdempotencyInProgress] = (409, "A request with this Idempotency-Key is still running."),
        [ErrorCodes.EmailTaken] = (409, "The email address is already registered."),
        [ErrorCodes.NameTaken] = (409, "The name is already taken."),
        [ErrorCodes.DisplayNameCooldown] = (409, "The display name cannot be changed yet."),
        [ErrorCodes.LastAdmin] = (409, "The last admin cannot be demoted."),
        [ErrorCodes.TradeExists] = (409, "The buyer already has an open trade on this item."),
        [ErrorCodes.AlreadySubmitted] = (409, "This was already submitted."),
        [ErrorCodes.OutsideTimeWindow] = (409, "The action is outside its time window."),
        [ErrorCodes.MeetupTimePassed] = (409, "The meetup time has passed."),
        [ErrorCodes.RequestInProgress] = (409, "A request of this type is already in progress."),
        [ErrorCodes.EscrowHeld] = (409, "Credits are held in escrow for one of your trades."),
        [ErrorCodes.ConversionInFlight] = (409, "A conversion is still in flight."),
        [ErrorCodes.ArchiveNotReady] = (409, "The archive is not ready yet."),
        [ErrorCodes.QuoteExpired] = (409, "The quote has expired."),
        [ErrorCodes.QuoteUsed] = (409, "The quote was already executed."),
        [ErrorCodes.DuplicateRequest] = (409, "The same conversion was requested moments ago."),
        [ErrorCodes.PayloadTooLarge] = (413, "The request body is too large."),
        [ErrorCodes.UnsupportedMediaType] = (415, "The media type is not supported."),
        [ErrorCodes.InsufficientFunds] = (422, "Available credits are insufficient."),
        [ErrorCodes.LimitExceeded] = (422, "A limit would be exceeded."),
        [ErrorCodes.RecipientNotEligible] = (422, "The recipient cannot receive credits."),
        [ErrorCodes.PublishRequirementsNotMet] = (422, "The item does not meet the publish requirements."),
        [ErrorCodes.ImageInvalid] = (422, "The image cannot be used."),
        [ErrorCodes.PhotoLimitReached] = (422, "The item already has the maximum number of photos."),
        [ErrorCodes.SafetyAcknowledgementRequired] = (422, "A custom meeting place needs the safety warning acknowledged."),
        [ErrorCodes.DistanceConfirmationRequired] = (422, "The meeting place is far from your area; confirm the distance."),
        [ErrorCodes.DisputeLimitReached] = (422, "The monthly number of disputes is reached."),
        [ErrorCodes.BalanceForfeitUnacknowledged] = (422, "Deleting the account forfeits the available credits; acknowledge it."),
        [ErrorCodes.RateLimited] = (429, "Too many requests."),
        [ErrorCodes.InternalError] = (500, "An unexpected error occurred."),
        [ErrorCodes.ServiceUnavailable] = (503, "A dependency is unavailable."),
        [ErrorCodes.ConversionPaused] = (503, "Conversion is paused."),
    };

    public static (int Status, string Title) Lookup(string code) =>
        Codes.TryGetValue(code, out var entry) ? entry : (500, "An unexpected error occurred.");
}
