namespace NeXChange.Users;

/// <summary>
/// One account: the single writer of its profile, credentials, role and verification state. Keyed by the
/// user id (UUIDv7 chosen by the caller at registration). Refusals are <see cref="Errors.DomainException"/>s
/// with the codes of SPEC.md 3.
/// </summary>
public interface IUserGrain : IGrainWithGuidKey
{
    /// <summary>Creates the account (and its two ledger accounts, in one database transaction) and emails a verification link.</summary>
    Task<MeProfile> Register(Registration registration);

    /// <summary>Checks the password; <c>invalid_credentials</c> when it is wrong or the account is gone.</summary>
    Task<AuthIdentity> CheckPassword(string password);

    /// <summary>What an access token carries for this user now (role, email verified), or not_found.</summary>
    Task<AuthIdentity> GetIdentity();

    /// <summary>
    /// The identity every request and refresh compares its session with; null when the account is gone. It only reads
    /// the cached row, so it interleaves: a request is never queued behind a slow call of the same user (a photo upload).
    /// </summary>
    [Orleans.Concurrency.AlwaysInterleave]
    Task<AuthIdentity?> GetSessionIdentity();

    Task<MeProfile> GetMe();
    /// <summary>Applies a PATCH /me (rules of SPEC.md 8.2); a new ZIP moves the area point and the public area label.</summary>
    Task<MeProfile> UpdateProfile(ProfileChanges changes);

    /// <summary>A new generated name, 30 days after the last one (409 display_name_cooldown with changeableAt).</summary>
    Task<DisplayNameChange> RegenerateDisplayName();

    /// <summary>An admin sets the role (SPEC.md 3.3); 409 last_admin when it would leave no admin. The caller revokes the sessions.</summary>
    Task<string> ChangeRole(Guid adminId, string role);

    Task<AccountSettings> GetSettings();

    /// <summary>Replaces the whole settings object; an unknown time zone or unit is a validation error.</summary>
    Task<AccountSettings> PutSettings(AccountSettings settings);

    /// <summary>The public projection (SPEC.md 3.6); null when the user does not exist or was deleted.</summary>
    Task<PublicProfile?> GetPublicProfile();

    /// <summary>
    /// The user's public area label and coarse point (ZIP centroid, 2 decimals) for items and search; silo-internal,
    /// the point is never returned by the API. Null when the user does not exist or was deleted.
    /// </summary>
    /// <summary>
    /// Tier-2 data (SPEC.md 3.6) for the counterparty of a trade with escrow held: a signed photo URL (1 h) if the user
    /// has a photo, and the vehicle description. The trade decides who may ask; null for a deleted user.
    /// </summary>
    Task<RevealedIdentity?> GetRevealedIdentity();

    Task<UserArea?> GetArea();

    /// <summary>Replaces the private profile photo (image rules of SPEC.md 4.5); the previous photo's blobs are deleted.</summary>
    Task SetPhoto(byte[] content);

    /// <summary>Removes the profile photo, if any.</summary>
    Task RemovePhoto();

    /// <summary>
    /// Submits an identity document (SPEC.md 3.8) from <c>unverified</c> or <c>rejected</c> and returns the new status,
    /// <c>pending</c>; <c>invalid_transition</c> otherwise, and unsupported or hostile files are refused with nothing stored.
    /// </summary>
    Task<string> SubmitVerification(string? documentType, byte[] file);

    /// <summary>A moderator decides the pending request and the status is returned; <c>invalid_transition</c> when none is pending.</summary>
    Task<string> DecideVerification(Guid moderatorId, VerificationDecision decision);

    /// <summary>Marks the email verified if <paramref name="tokenHash"/> is the live token; posts the signup grant exactly once.</summary>
    Task<bool> ConfirmEmail(string tokenHash);

    /// <summary>Sends a new verification link (voids older ones); 409 when already verified.</summary>
    Task ResendVerification();
    /// <summary>Mails a password-reset link valid 1 h (voids older ones). Does nothing for a deleted account.</summary>
    Task SendPasswordReset();

    /// <summary>Sets a new password with a live reset token; <c>token_invalid</c> otherwise. The caller revokes every session.</summary>
    Task ResetPassword(string tokenHash, string newPassword);

    /// <summary>Sets a new password after checking the current one (<c>invalid_credentials</c>). The caller revokes the other sessions.</summary>
    Task ChangePassword(string currentPassword, string newPassword);

    /// <summary>Audits <c>SESSION_REUSE_DETECTED</c>: a rotated refresh token of this user's was presented again.</summary>
    Task RecordSessionReuse();

    /// <summary>Checks the password without logging in (a DSR delete asks for it); <c>invalid_credentials</c> when wrong.</summary>
    Task ConfirmPassword(string password);

    /// <summary>
    /// Clears the personal data of SPEC.md 3.10's delete (email replaced, password, name, phone, birth date, ZIP, city,
    /// area point, vehicle, photo, settings) and marks the account deleted; display-name history stays. Idempotent.
    /// </summary>
    Task Erase();
}

/// <summary>Cross-user look-ups that no single user grain can answer (email → id, token → user).</summary>
public interface IUserDirectoryGrain : IGrainWithIntegerKey
{
    Task<Guid?> FindByEmail(string email);

    /// <summary>
    /// Email + password → identity; <c>invalid_credentials</c> for an unknown address as for a wrong password, and
    /// both are audited (the address only as its SHA-256).
    /// </summary>
    Task<AuthIdentity> Login(string email, string password);

    /// <summary>Verifies an email token from the link; <c>token_invalid</c> when unknown, expired or used.</summary>
    Task<Guid> VerifyEmail(string token);
    /// <summary>
    /// Mails a reset link if the address belongs to an account. One-way: the caller's answer never waits for the look-up,
    /// the token or the mail, so neither its content nor its timing tells whether the address has an account.
    /// </summary>
    [Orleans.Concurrency.OneWay]
    Task RequestPasswordReset(string email);

    /// <summary>Sets the password of the token's account and returns its id; <c>token_invalid</c> when the token is not live.</summary>
    Task<Guid> ResetPassword(string token, string newPassword);
}
