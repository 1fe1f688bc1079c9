namespace NeXChange.Users.Email;

/// <summary>One plain-text message to one recipient.</summary>
public sealed record EmailMessage(string To, string Subject, string TextBody)
{
    // The address and the token in the body never reach a log line or an exception message (SPEC.md 10).
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Subject = ").Append(Subject);
        return true;
    }
}

/// <summary>The email port: the file outbox by default, SMTP in production (<c>Email:Mode</c>).</summary>
public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default);
}
