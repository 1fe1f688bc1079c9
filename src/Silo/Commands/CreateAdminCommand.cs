using NeXChange.Errors;
using NeXChange.Sessions;
using NeXChange.Users;
using StackExchange.Redis;

namespace NeXChange.Silo.Commands;

/// <summary>
/// <c>create-admin --email &lt;e&gt;</c> (SPEC.md 3.3): a verified admin with its signup grant; an existing account of that
/// address is promoted instead. The password is read only when an account is created, and never from the command
/// line, so it stays out of shell history and process lists.
/// <para>
/// An existing account's refresh sessions are ended in Redis after its row is written, so its tokens stop working at
/// once, cluster up or down; on every run, so a run that failed half-way (Redis lost) is completed by the next. A running UserGrain may still cache the old row; that is harmless because every way
/// back in is a sign-in, and <see cref="IUserGrain.CheckPassword"/> re-reads the row, so the next session carries
/// the new role without a silo restart.
/// </para>
/// </summary>
public sealed class CreateAdminCommand(AdminProvisioning provisioning, IConnectionMultiplexer redis) : IOperatorCommand
{
    public const string Email = "--email";

    public async Task<int> RunAsync(CommandArguments arguments, CommandConsole console)
    {
        var email = arguments.Value(Email)!;
        try
        {
            var promoted = await provisioning.PromoteAsync(email);
            var admin = promoted ?? await provisioning.CreateAsync(email, console.ReadPassword() ?? "");
            if (promoted is not null) await RefreshSessions.RevokeAllAsync(redis.GetDatabase(), admin.UserId);
            await console.Output.WriteLineAsync(Describe(AdminProvisioning.ValidEmail(email), admin));
            return ExitCodes.Ok;
        }
        catch (DomainException e) when (e.Code is ErrorCodes.ValidationFailed or ErrorCodes.EmailTaken)
        {
            await console.Error.WriteLineAsync(e.Errors.Count == 0
                ? $"error: {e.Message}"
                : string.Join(Environment.NewLine, e.Errors.Select(f => $"error: {f.Field}: {f.Message} ({f.Code})")));
            return ExitCodes.Usage;
        }
    }

    private static string Describe(string email, ProvisionedAdmin admin)
    {
        var grant = admin.GrantedMinor is { } minor ? $"signup grant of {minor} minor units posted" : "signup grant already posted";
        if (admin.Created)
            return $"Created admin {email} (user {admin.UserId}, display name {admin.DisplayName}), email verified, {grant}.";
        var changes = new List<string>();
        if (admin.PreviousRole != Roles.Admin) changes.Add($"promoted from {admin.PreviousRole} to admin");
        if (admin.NewlyVerified) changes.Add("email marked verified");
        var state = changes.Count == 0
            ? $"{email} (user {admin.UserId}) is already a verified admin; {grant}"
            : $"{email} already had an account (user {admin.UserId}): {string.Join(", ", changes)}, {grant}; password unchanged";
        return $"{state}. Its sessions were ended: it signs in again to act as admin.";
    }
}
