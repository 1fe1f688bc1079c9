using MailKit.Net.Smtp;
using MailKit.Security;

namespace NeXChange.Users.Email;

/// <summary>Sends through an SMTP relay with MailKit; one connection per message is plenty for account mail.</summary>
public sealed class SmtpEmailSender(EmailSettings settings, TimeProvider time) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        var smtp = settings.Smtp ?? throw new InvalidOperationException("Email:Smtp settings are missing.");
        var now = time.GetUtcNow();
        var mime = MimeMessages.Create(message, settings.From, Guid.CreateVersion7(now).ToString("N"), now);
        using var client = new SmtpClient();
        var security = !smtp.UseTls ? SecureSocketOptions.None
            : smtp.Port == 465 ? SecureSocketOptions.SslOnConnect
            : SecureSocketOptions.StartTls;
        await client.ConnectAsync(smtp.Host, smtp.Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(smtp.Username)) await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", cancellationToken);
        try
        {
            await client.SendAsync(mime, cancellationToken);
        }
        catch (SmtpCommandException e)
        {
            // The server's reply often quotes the recipient ("<a@b.org>: Recipient address rejected") and callers log
            // this exception, so only the codes go on: logs carry user ids, never addresses (SPEC.md 10).
            throw new InvalidOperationException($"The SMTP server refused the message: {e.ErrorCode}, status {(int)e.StatusCode}.");
        }
        await client.DisconnectAsync(true, cancellationToken);
    }
}
