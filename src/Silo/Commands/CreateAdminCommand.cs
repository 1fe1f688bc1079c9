using NeXChange.Errors;
using NeXChange.Users;

namespace NeXChange.Silo.Commands;

/// <summary>
/// <c>create-admin --email &lt;e&gt;</c> (SPEC.md 3.3): a verified admin with its signup grant; an existing account of that
/// address is promoted instead. The password is read only when an account is created, and never from the command
/// line, so it stays out of shell history and process lists. Exit 0 done, 2 bad input.
/// </summary>
public sealed class CreateAdminCommand(AdminProvisioning provisioning)
{
    public const int BadInput = 2;

    public async Task<int> RunAsync(IReadOnlyList<string> args, Func<string?> readPassword, TextWriter output, TextWriter error)
    {
        if (EmailArgument(args) is not { } email)
        {
            await error.WriteLineAsync("Usage: create-admin --email <address>   (the password is read from stdin)");
            return BadInput;
        }
        try
        {
            var admin = await provisioning.PromoteAsync(email) ?? await provisioning.CreateAsync(email, readPassword() ?? "");
            await output.WriteLineAsync(Describe(AdminProvisioning.ValidEmail(email), admin));
            return 0;
        }
        catch (DomainException e) when (e.Code is ErrorCodes.ValidationFailed or ErrorCodes.EmailTaken)
        {
            await error.WriteLineAsync(e.Errors.Count == 0
                ? $"error: {e.Message}"
                : string.Join(Environment.NewLine, e.Errors.Select(f => $"error: {f.Field}: {f.Message} ({f.Code})")));
            return BadInput;
        }
    }

    /// <summary><c>--email x</c> or <c>--email=x</c>.</summary>
    private static string? EmailArgument(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i] == "--email") return i + 1 < args.Count ? args[i + 1] : null;
            if (args[i].StartsWith("--email=", StringComparison.Ordinal)) return args[i]["--email=".Length..];
        }
        return null;
    }

    private static string Describe(string email, ProvisionedAdmin admin)
    {
        var grant = admin.GrantedMinor is { } minor ? $"signup grant of {minor} minor units posted" : "signup grant already posted";
        if (admin.Created)
            return $"Created admin {email} (user {admin.UserId}, display name {admin.DisplayName}), email verified, {grant}.";
        var changes = new List<string>();
        if (admin.PreviousRole != Roles.Admin) changes.Add($"promoted from {admin.PreviousRole} to admin");
        if (admin.NewlyVerified) changes.Add("email marked verified");
        if (changes.Count == 0) return $"{email} (user {admin.UserId}) is already a verified admin; {grant}.";
        // The UserGrain caches its row: a running silo shows the change once it loads the account again.
        return $"{email} already had an account (user {admin.UserId}): {string.Join(", ", changes)}, {grant}; password unchanged. "
            + "If the account is in use on a running silo, the change applies once the silo reloads it (after it idles, or on restart).";
    }
}
