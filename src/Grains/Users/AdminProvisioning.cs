using NeXChange.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using NeXChange.Credits;
using NeXChange.Errors;

namespace NeXChange.Users;

/// <summary>What <see cref="AdminProvisioning"/> did; <see cref="GrantedMinor"/> is null when the signup grant was already posted.</summary>
public sealed record ProvisionedAdmin(Guid UserId, string DisplayName, bool Created, string PreviousRole, bool NewlyVerified, long? GrantedMinor);

/// <summary>
/// The operator's way to an admin (SPEC.md 3.3, CLI <c>create-admin</c>): a verified admin account with its signup
/// grant, or an existing account brought to that state. It writes the rows itself rather than through the UserGrain
/// so that it works before any silo runs; the registration rules, the insert and the ledger posting are the ones the
/// grains use. Audit rows have no actor and say <c>via: cli</c>.
/// </summary>
public sealed class AdminProvisioning(
    UserStore users, IPasswordHasher<UserRecord> passwordHasher, ILedgerWriter ledger, IOptions<CreditOptions> credits, TimeProvider time)
{
    private const string Reason = "cli_create_admin";

    /// <summary>The normalized address, or a validation error under <c>email</c>.</summary>
    public static string ValidEmail(string? email)
    {
        var normalized = EmailAddress.Normalize(email);
        return EmailAddress.Check("email", normalized) is { } error ? throw DomainException.Validation(error) : normalized;
    }

    /// <summary>Makes the existing account of <paramref name="email"/> a verified admin; null when there is none.</summary>
    public async Task<ProvisionedAdmin?> PromoteAsync(string email)
    {
        var normalized = ValidEmail(email);
        if (await users.FindIdByEmailAsync(normalized) is not { } id || await users.LoadAsync(id) is not { } user) return null;
        var audit = new List<AuditEntry>();
        if (!user.EmailVerified)
            audit.Add(new AuditEntry(AuditActions.EmailVerified, "user", id.ToString(), null, new { via = "cli" }));
        if (user.Role != Roles.Admin)
            audit.Add(new AuditEntry(AuditActions.RoleChanged, "user", id.ToString(), null, new { from = user.Role, to = Roles.Admin, reason = Reason, via = "cli" }));
        if (audit.Count > 0) await users.MarkVerifiedAsync(id, Roles.Admin, audit, time.GetUtcNow());
        var granted = user.SignupGranted ? null : await GrantSignupAsync(id);
        return new ProvisionedAdmin(id, user.DisplayName, Created: false, user.Role, !user.EmailVerified, granted);
    }

    /// <summary>
    /// A new account, email-verified with role admin, under the registration rules that apply to it (email and
    /// password; the profile fields stay empty), then its signup grant. <c>email_taken</c> if the address exists.
    /// </summary>
    public async Task<ProvisionedAdmin> CreateAsync(string email, string password)
    {
        var normalized = ValidEmail(email);
        if (PasswordPolicy.Check("password", password, normalized) is { } passwordError) throw DomainException.Validation(passwordError);
        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var draft = new UserRecord(id, normalized, null, null, null, null, null, Roles.Admin, EmailVerified: true, SignupGranted: false,
            VerificationStatus: "unverified", DisplayName: "", DisplayNameGeneratedAt: now, FullName: null, Phone: null,
            VehicleDescription: null, CreatedAt: now, UpdatedAt: now, DeletedAt: null);
        draft = draft with { PasswordHash = passwordHasher.HashPassword(draft, password) };
        var user = await users.InsertRegistrationAsync(draft, verification: null,
            [
                new AuditEntry(AuditActions.UserRegistered, "user", id.ToString(), null, new { via = "cli", emailVerified = true }),
                new AuditEntry(AuditActions.RoleChanged, "user", id.ToString(), null, new { from = Roles.User, to = Roles.Admin, reason = Reason, via = "cli" }),
            ])
            ?? throw new DomainException(ErrorCodes.ServiceUnavailable, "Could not assign a display name; try again.");
        return new ProvisionedAdmin(id, user.DisplayName, Created: true, Roles.User, NewlyVerified: true, await GrantSignupAsync(id));
    }

    /// <summary>
    /// Posts under the key the CreditAccountGrain uses (grant:signup:{userId}), so a grain that tries later, or a
    /// second CLI run after a failure here, replays this transaction instead of paying twice.
    /// </summary>
    private async Task<long?> GrantSignupAsync(Guid userId)
    {
        var amount = credits.Value.SignupGrantMinor;
        var posted = await ledger.PostAsync(Movements.SignupGrant(userId, amount));
        await users.MarkSignupGrantedAsync(userId, time.GetUtcNow());
        return posted.Replayed ? null : amount;
    }
}
