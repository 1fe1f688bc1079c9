using MimeKit;

namespace NeXChange.Users.Email;

internal static class MimeMessages
{
    /// <summary>A real RFC 5322 message; <paramref name="messageId"/> is the local part of its Message-ID.</summary>
    public static MimeMessage Create(EmailMessage message, MailboxAddress from, string messageId, DateTimeOffset date)
    {
        var mime = new MimeMessage
        {
            Subject = message.Subject,
            Date = date,
            MessageId = $"{messageId}@{from.Domain}",
            Body = new TextPart("plain") { Text = message.TextBody },
        };
        mime.From.Add(from);
        mime.To.Add(MailboxAddress.Parse(message.To));
        return mime;
    }
}
