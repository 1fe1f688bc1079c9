using Microsoft.Extensions.Configuration;
using MimeKit;
using NeXChange.Hosting;

namespace NeXChange.Users.Email;

public sealed record SmtpSettings(string Host, int Port, bool UseTls, string? Username, string? Password);

/// <summary>
/// <c>Email:Mode</c> = Outbox (default: .eml files under the data folder) or Smtp (<c>Email:Smtp:*</c>, secrets
/// come from the environment, never from the repository).
/// </summary>
public sealed record EmailSettings(string Mode, MailboxAddress From, SmtpSettings? Smtp)
{
    public const string Outbox = "Outbox";
    public const string SmtpMode = "Smtp";

    public static EmailSettings FromConfiguration(IConfiguration configuration)
    {
        var mode = configuration["Email:Mode"] is { Length: > 0 } m ? m : Outbox;
        var from = MailboxAddress.Parse(configuration["Email:Smtp:From"] ?? configuration["Email:From"] ?? "NeXChange <no-reply@nexchange.local>");
        if (string.Equals(mode, Outbox, StringComparison.OrdinalIgnoreCase)) return new(Outbox, from, null);
        if (!string.Equals(mode, SmtpMode, StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"Email:Mode must be '{Outbox}' or '{SmtpMode}', not '{mode}'.");
        var smtp = new SmtpSettings(
            configuration.Require("Email:Smtp:Host"),
            int.Parse(configuration["Email:Smtp:Port"] ?? "587", System.Globalization.CultureInfo.InvariantCulture),
            !string.Equals(configuration["Email:Smtp:UseTls"], "false", StringComparison.OrdinalIgnoreCase),
            configuration["Email:Smtp:Username"],
            configuration["Email:Smtp:Password"]);
        return new(SmtpMode, from, smtp);
    }
}
