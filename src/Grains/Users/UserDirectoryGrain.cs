using NeXChange.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using NeXChange.Errors;
using Orleans.Concurrency;

namespace NeXChange.Users;

/// <summary>Read-only look-ups over the users table; stateless, so every silo runs its own copies.</summary>
[StatelessWorker]
public sealed class UserDirectoryGrain(
    UserStore store,
    AuditLog audit,
    IPasswordHasher<UserRecord> passwordHasher,
    [FromKeyedServices(UsersModule.ClockKey)] TimeProvider time) : Grain, IUserDirectoryGrain
{
    private static readonly Lazy<string> UnknownUserHash =
        new(() => new PasswordHasher<UserRecord>().HashPassword(null!, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16))));

    public Task<Guid?> FindByEmail(string email) => store.FindIdByEmailAsync(EmailAddress.Normalize(email));

    public async Task<AuthIdentity> Login(string email, string password)
    {
        var normalized = EmailAddress.Normalize(email);
        if (await store.FindIdByEmailAsync(normalized) is { } userId)
            return await GrainFactory.GetGrain<IUserGrain>(userId).CheckPassword(password);

        // Same answer, and about the same time, as a wrong password: a login never tells whether an address has an account.
        passwordHasher.VerifyHashedPassword(null!, UnknownUserHash.Value, password ?? "");
        await audit.WriteAsync(new AuditEntry(AuditActions.LoginFailed, "user", "unknown", null,
            new { emailSha256 = EmailTokens.Sha256Hex(normalized) }), time.GetUtcNow());
        throw new DomainException(ErrorCodes.InvalidCredentials);
    }

    public async Task RequestPasswordReset(string email)
    {
        if (await store.FindIdByEmailAsync(EmailAddress.Normalize(email ?? "")) is { } userId)
            await GrainFactory.GetGrain<IUserGrain>(userId).SendPasswordReset();
    }

    public async Task<Guid> ResetPassword(string token, string newPassword)
    {
        var hash = EmailTokens.Hash(token ?? "");
        var owner = await store.FindTokenOwnerAsync(hash, EmailTokens.Reset) ?? throw new DomainException(ErrorCodes.TokenInvalid);
        await GrainFactory.GetGrain<IUserGrain>(owner).ResetPassword(hash, newPassword);
        return owner;
    }

    public async Task<Guid> VerifyEmail(string token)
    {
        var hash = EmailTokens.Hash(token ?? "");
        var owner = await store.FindTokenOwnerAsync(hash, EmailTokens.Verify) ?? throw new DomainException(ErrorCodes.TokenInvalid);
        await GrainFactory.GetGrain<IUserGrain>(owner).ConfirmEmail(hash);
        return owner;
    }
}
