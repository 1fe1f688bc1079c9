using NeXChange.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NeXChange.Credits;
using NeXChange.Errors;
using NeXChange.Feedback;
using NeXChange.Images;
using NeXChange.Users.Email;
using NeXChange.Users.Verification;

namespace NeXChange.Users;

/// <summary>
/// The single writer of one users row (keyed by the user id); it caches the row for reads. Not persisted through
/// Orleans storage: the relational row is the state, so a user is never written twice (see 0003_users.sql).
/// </summary>
public sealed class UserGrain(
    UserStore store,
    UserSettings settings,
    IZipGeocoder geocoder,
    IPasswordHasher<UserRecord> passwordHasher,
    IEmailSender email,
    PhotoStore photos,
    AuditLog audit,
    ReputationQueries reputation,
    VerificationDesk verifications,
    [FromKeyedServices(UsersModule.ClockKey)] TimeProvider time,
    ILogger<UserGrain> logger) : Grain, IUserGrain
{
    public const int ResendsPerHour = 3;

    /// <summary>A failed signup grant is not retried sooner, so reads do not wait on a credits grain that is down.</summary>
    private static readonly TimeSpan GrantRetryDelay = TimeSpan.FromSeconds(30);

    private UserRecord? user;
    private DateTimeOffset grantNotBefore;

    private Guid Id => this.GetPrimaryKey();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        user = await store.LoadAsync(Id);
        await EnsureSignupGrant();
    }

    public async Task<MeProfile> Register(Registration registration)
    {
        if (user is not null) throw new DomainException(ErrorCodes.InvalidTransition, "This account already exists.");
        var now = time.GetUtcNow();
        var valid = RegistrationRules.Validate(registration, DateOnly.FromDateTime(now.UtcDateTime), geocoder);
        var draft = new UserRecord(
            Id, valid.Email, null, valid.DateOfBirth, valid.ZipCode, valid.City, valid.Area, Roles.User,
            EmailVerified: false, SignupGranted: false, VerificationStatus: "unverified", DisplayName: "",
            DisplayNameGeneratedAt: now, FullName: null, Phone: null, VehicleDescription: null,
            CreatedAt: now, UpdatedAt: now, DeletedAt: null);
        draft = draft with { PasswordHash = passwordHasher.HashPassword(draft, valid.Password) };
        var (token, tokenHash) = EmailTokens.Create();
        user = await store.InsertRegistrationAsync(draft, new VerificationToken(tokenHash, now + EmailTokens.VerifyLifetime),
            [new AuditEntry(AuditActions.UserRegistered, "user", Id.ToString(), Id)]);
        if (user is null)
        {
            logger.LogError("No free display name after {Attempts} attempts", DisplayNames.MaxAttempts);
            throw new DomainException(ErrorCodes.ServiceUnavailable, "Could not assign a display name; try again.");
        }
        await SendVerification(token);
        return await ToMe(user);
    }

    public async Task<AuthIdentity> CheckPassword(string password)
    {
        // A sign-in starts every session, so it reads the row afresh: the create-admin command writes the row
        // without the cluster and ends the sessions, and the new role must reach the next session, not the next activation.
        user = await store.LoadAsync(Id);
        var now = time.GetUtcNow();
        if (user is not { IsDeleted: false, PasswordHash: { } hash } current)
        {
            await audit.WriteAsync(new AuditEntry(AuditActions.LoginFailed, "user", Id.ToString(), null), now);
            throw new DomainException(ErrorCodes.InvalidCredentials);
        }
        var result = passwordHasher.VerifyHashedPassword(current, hash, password ?? "");
        if (result == PasswordVerificationResult.Failed)
        {
            await audit.WriteAsync(new AuditEntry(AuditActions.LoginFailed, "user", Id.ToString(), null,
                new { emailSha256 = EmailTokens.Sha256Hex(current.Email) }), now);
            throw new DomainException(ErrorCodes.InvalidCredentials);
        }
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            // Older hash parameters are upgraded while the plain password is at hand.
            var upgraded = passwordHasher.HashPassword(current, password!);
            await store.UpdatePasswordHashAsync(Id, upgraded, now);
            user = current with { PasswordHash = upgraded, UpdatedAt = now };
        }
        await audit.WriteAsync(new AuditEntry(AuditActions.LoginSucceeded, "user", Id.ToString(), Id), now);
        return Identity(user!);
    }

    public async Task<AuthIdentity> GetIdentity()
    {
        await EnsureSignupGrant();
        return Identity(Live());
    }

    public Task<AuthIdentity?> GetSessionIdentity() =>
        Task.FromResult(user is { IsDeleted: false } current ? Identity(current) : null);

    public async Task<MeProfile> GetMe()
    {
        await EnsureSignupGrant();
        return await ToMe(Live());
    }

    public async Task<MeProfile> UpdateProfile(ProfileChanges changes)
    {
        var now = time.GetUtcNow();
        var next = ProfileRules.Apply(Live(), changes, geocoder, DateOnly.FromDateTime(now.UtcDateTime));
        await store.UpdateProfileAsync(next, now);
        user = next with { UpdatedAt = now };
        return await ToMe(user);
    }

    public Task<AccountSettings> GetSettings() => Task.FromResult(Live().Settings ?? AccountSettings.Default);

    public async Task<AccountSettings> PutSettings(AccountSettings settings)
    {
        var current = Live();
        var valid = ProfileRules.Check(settings);
        await store.SetSettingsAsync(Id, valid, time.GetUtcNow());
        user = current with { Settings = valid };
        return valid;
    }

    public async Task<DisplayNameChange> RegenerateDisplayName()
    {
        var current = Live();
        var now = time.GetUtcNow();
        var changeableAt = current.DisplayNameGeneratedAt + DisplayNames.Cooldown;
        if (now < changeableAt)
            throw new DomainException(ErrorCodes.DisplayNameCooldown, "The display name can be changed 30 days after it was given.",
                extensions: new Dictionary<string, object> { ["changeableAt"] = changeableAt });
        for (var attempt = 0; attempt < DisplayNames.MaxAttempts; attempt++)
        {
            var name = DisplayNames.Generate();
            var audit = new AuditEntry(AuditActions.DisplayNameChanged, "user", Id.ToString(), Id, new { from = current.DisplayName, to = name });
            if (!await store.TryChangeDisplayNameAsync(Id, name, audit, now)) continue;
            user = current with { DisplayName = name, DisplayNameGeneratedAt = now, UpdatedAt = now };
            return new DisplayNameChange(name, current.DisplayName, now + DisplayNames.Cooldown);
        }
        logger.LogError("No free display name after {Attempts} attempts", DisplayNames.MaxAttempts);
        throw new DomainException(ErrorCodes.ServiceUnavailable, "Could not assign a display name; try again.");
    }

    public async Task<string> ChangeRole(Guid adminId, string role)
    {
        var current = Live();
        if (role is not (Roles.User or Roles.Moderator or Roles.Admin))
            throw DomainException.Validation("role", FieldCodes.UnknownValue, "role is user, moderator or admin.");
        if (role == current.Role) return role;
        var now = time.GetUtcNow();
        var audit = new AuditEntry(AuditActions.RoleChanged, "user", Id.ToString(), adminId, new { from = current.Role, to = role });
        if (!await store.TryChangeRoleAsync(Id, role, audit, now))
            throw new DomainException(ErrorCodes.LastAdmin, "The last admin cannot be demoted.");
        user = current with { Role = role, UpdatedAt = now };
        return role;
    }

    public async Task<PublicProfile?> GetPublicProfile() =>
        user is { IsDeleted: false } current ? ToPublic(current, await reputation.ForUserAsync(Id)) : null;

    public async Task SetPhoto(byte[] content)
    {
        var current = Live();
        var stored = await photos.StoreProfilePhotoAsync(Id, content);
        await store.SetPhotoAsync(Id, stored, time.GetUtcNow());
        user = current with { Photo = stored };
        // The old blobs go once nothing points at them; the same image uploaded again keeps its blobs.
        if (current.Photo is { } old && old.KeyPrefix != stored.KeyPrefix) await photos.DeleteAsync(old);
    }

    public async Task RemovePhoto()
    {
        var current = Live();
        if (current.Photo is not { } old) return;
        await store.SetPhotoAsync(Id, null, time.GetUtcNow());
        user = current with { Photo = null };
        await photos.DeleteAsync(old);
    }

    public async Task<string> SubmitVerification(string? documentType, byte[] file)
    {
        var current = Live();
        if (documentType is null || !VerificationStates.DocumentTypes.Contains(documentType))
            throw DomainException.Validation("documentType", documentType is null ? FieldCodes.Required : FieldCodes.UnknownValue,
                $"documentType is one of {string.Join(", ", VerificationStates.DocumentTypes)}.");
        if (current.VerificationStatus is not (VerificationStates.Unverified or VerificationStates.Rejected))
            throw InvalidVerificationTransition(current, "A document can be sent while unverified or after a rejection.");
        await verifications.SubmitAsync(Id, documentType, file);
        user = current with { VerificationStatus = VerificationStates.Pending };
        return VerificationStates.Pending;
    }

    public async Task<string> DecideVerification(Guid moderatorId, VerificationDecision decision)
    {
        var current = Live();
        var (status, reason) = VerificationRules.Check(decision);
        if (current.VerificationStatus != VerificationStates.Pending
            || !await verifications.DecideAsync(Id, moderatorId, status, reason))
            throw InvalidVerificationTransition(current, "No verification request is pending.");
        user = current with { VerificationStatus = status };
        return status;
    }

    private static DomainException InvalidVerificationTransition(UserRecord current, string detail) =>
        new(ErrorCodes.InvalidTransition, detail, extensions: new Dictionary<string, object> { ["currentStatus"] = current.VerificationStatus });

    private UserRecord Live() => user is { IsDeleted: false } current ? current : throw DomainException.NotFound();

    public async Task<RevealedIdentity?> GetRevealedIdentity()
    {
        if (user is not { IsDeleted: false } current) return null;
        if (current.Photo is not { } photo) return new RevealedIdentity(null, null, current.VehicleDescription);
        var links = await photos.SignedUrlsAsync(photo);
        return new RevealedIdentity(links.Urls.W800, time.GetUtcNow() + PhotoStore.PrivateUrlLifetime, current.VehicleDescription);
    }

    public Task<UserArea?> GetArea() =>
        Task.FromResult(user is { IsDeleted: false } current
            ? new UserArea($"{current.City} area", current.Area?.Lat, current.Area?.Lng)
            : null);

    public async Task<bool> ConfirmEmail(string tokenHash)
    {
        if (user is not { IsDeleted: false } current) throw new DomainException(ErrorCodes.TokenInvalid);
        var now = time.GetUtcNow();
        var firstTime = !current.EmailVerified;
        var role = firstTime && settings.IsBootstrapAdmin(current.Email) ? Roles.Admin : current.Role;
        var audit = new List<AuditEntry>();
        if (firstTime) audit.Add(new AuditEntry(AuditActions.EmailVerified, "user", Id.ToString(), Id));
        if (role != current.Role)
            audit.Add(new AuditEntry(AuditActions.RoleChanged, "user", Id.ToString(), null,
                new { from = current.Role, to = role, reason = "bootstrap_admin_email" }));
        if (!await store.ConfirmEmailAsync(Id, tokenHash, role, audit, now)) throw new DomainException(ErrorCodes.TokenInvalid);
        user = current with { EmailVerified = true, Role = role, UpdatedAt = now };
        await EnsureSignupGrant();
        return firstTime;
    }

    public async Task ResendVerification()
    {
        if (user is not { IsDeleted: false } current) throw DomainException.NotFound();
        if (current.EmailVerified)
            throw new DomainException(ErrorCodes.InvalidTransition, "The email address is already verified.",
                extensions: new Dictionary<string, object> { ["currentStatus"] = "verified" });
        var now = time.GetUtcNow();
        var recent = await store.ResendTimesSinceAsync(Id, now - TimeSpan.FromHours(1));
        if (recent.Count >= ResendsPerHour)
        {
            var retryAfter = Math.Max(1, (int)Math.Ceiling((recent[0] + TimeSpan.FromHours(1) - now).TotalSeconds));
            throw new DomainException(ErrorCodes.RateLimited, "Too many verification emails; try again later.",
                extensions: new Dictionary<string, object> { ["retryAfterSeconds"] = retryAfter });
        }
        var (token, tokenHash) = EmailTokens.Create();
        await store.ReplaceTokenAsync(Id, tokenHash, EmailTokens.Verify, now, now + EmailTokens.VerifyLifetime);
        await SendVerification(token);
    }

    /// <summary>
    /// Posts the signup grant once the verification is committed. It runs again on activation and on reads until
    /// it succeeds; the ledger key grant:signup:{userId} makes a repeat harmless, so a failure is only logged.
    /// </summary>
    public async Task SendPasswordReset()
    {
        if (user is not { IsDeleted: false } current) return;
        var now = time.GetUtcNow();
        var (token, tokenHash) = EmailTokens.Create();
        await store.ReplaceTokenAsync(Id, tokenHash, EmailTokens.Reset, now, now + EmailTokens.ResetLifetime);
        try
        {
            await email.SendAsync(PasswordResetEmail.Create(current.Email, token, settings.PublicBaseUrl));
        }
        catch (Exception e)
        {
            // The caller always answers 202 (no enumeration); the user can ask again.
            logger.LogError(e, "Password reset email for user {UserId} could not be sent", Id);
        }
    }

    public async Task ResetPassword(string tokenHash, string newPassword)
    {
        if (user is not { IsDeleted: false } current) throw new DomainException(ErrorCodes.TokenInvalid);
        var hash = NewPasswordHash(current, newPassword);
        var now = time.GetUtcNow();
        if (!await store.ResetPasswordAsync(Id, tokenHash, hash, PasswordAudit("reset"), now)) throw new DomainException(ErrorCodes.TokenInvalid);
        user = current with { PasswordHash = hash, UpdatedAt = now };
    }

    public async Task ChangePassword(string currentPassword, string newPassword)
    {
        var current = Live();
        EnsurePassword(current, currentPassword);
        var hash = NewPasswordHash(current, newPassword);
        var now = time.GetUtcNow();
        await store.ChangePasswordAsync(Id, hash, PasswordAudit("change"), now);
        user = current with { PasswordHash = hash, UpdatedAt = now };
    }

    public Task RecordSessionReuse() =>
        audit.WriteAsync(new AuditEntry(AuditActions.SessionReuseDetected, "user", Id.ToString(), null), time.GetUtcNow());

    public Task ConfirmPassword(string password)
    {
        EnsurePassword(Live(), password);
        return Task.CompletedTask;
    }

    private void EnsurePassword(UserRecord current, string? password)
    {
        if (current.PasswordHash is not { } stored
            || passwordHasher.VerifyHashedPassword(current, stored, password ?? "") == PasswordVerificationResult.Failed)
            throw new DomainException(ErrorCodes.InvalidCredentials);
    }

    /// <summary>
    /// The row is cleared before the photo's blobs go: after a crash in between, the blobs are unreferenced and the
    /// daily cleanup deletes them, while a retry finds no photo left to delete.
    /// </summary>
    public async Task Erase()
    {
        if (user is null) throw DomainException.NotFound();
        var photo = user.Photo;
        await store.EraseAsync(Id, time.GetUtcNow());
        user = await store.LoadAsync(Id);
        if (photo is not null) await photos.DeleteAsync(photo);
    }

    /// <summary>The new password under the registration rules (field <c>newPassword</c>), hashed.</summary>
    private string NewPasswordHash(UserRecord current, string newPassword) =>
        PasswordPolicy.Check("newPassword", newPassword, current.Email) is { } error
            ? throw DomainException.Validation(error)
            : passwordHasher.HashPassword(current, newPassword);

    private AuditEntry PasswordAudit(string via) => new(AuditActions.PasswordChanged, "user", Id.ToString(), Id, new { via });

    private async Task EnsureSignupGrant()
    {
        if (user is not { EmailVerified: true, SignupGranted: false, IsDeleted: false } current) return;
        var now = time.GetUtcNow();
        if (now < grantNotBefore) return;
        try
        {
            await GrainFactory.GetGrain<ICreditAccountGrain>(Id).GrantSignup();
            await store.MarkSignupGrantedAsync(Id, now);
            user = current with { SignupGranted = true, UpdatedAt = now };
        }
        catch (Exception e)
        {
            grantNotBefore = now + GrantRetryDelay;
            logger.LogWarning(e, "Signup grant for user {UserId} not posted yet; will retry", Id);
        }
    }

    /// <summary>The account exists either way; a mail that failed is sent again with "resend".</summary>
    private async Task SendVerification(string token)
    {
        try
        {
            await email.SendAsync(VerificationEmail.Create(user!.Email, token, settings.PublicBaseUrl));
        }
        catch (Exception e)
        {
            logger.LogError(e, "Verification email for user {UserId} could not be sent", Id);
        }
    }

    private static AuthIdentity Identity(UserRecord current) => new(current.Id, current.Role, current.EmailVerified);

    private PublicProfile ToPublic(UserRecord current, Reputation stats) => new(
        current.Id,
        current.DisplayName,
        $"{settings.PublicBaseUrl}/api/v1/users/{current.Id}/avatar.svg",
        stats.RatingAverage,
        stats.RatingCount,
        stats.CompletedTrades,
        stats.CompletionRate,
        stats.OnTimeArrivalRate,
        Verified: current.VerificationStatus == "verified",
        MemberSince: current.CreatedAt.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
        GeneralArea: $"{current.City} area");

    private async Task<MeProfile> ToMe(UserRecord current) => ToMe(current, await reputation.ForUserAsync(current.Id));

    private MeProfile ToMe(UserRecord current, Reputation stats) => new(
        ToPublic(current, stats),
        current.Email,
        current.EmailVerified,
        current.Role,
        current.VerificationStatus,
        current.DateOfBirth?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "",
        current.ZipCode ?? "",
        current.City ?? "",
        current.FullName,
        current.Phone,
        current.VehicleDescription,
        HasPhoto: current.Photo is not null,
        DisplayNameChangeableAt: current.DisplayNameGeneratedAt + DisplayNames.Cooldown,
        stats.NoShowCount,
        current.CreatedAt);
}
