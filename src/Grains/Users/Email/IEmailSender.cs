namespace NeXChange.Users.Email;

/// <summary>One plain-text message to one recipient.</summary>
public sealed record EmailMessage(string To, string Subject, string TextBody);

/// <summary>The email port: the file outbox by default, SMTP in production (<c>Email:Mode</c>).</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default);
}
