using System.Globalization;

namespace NeXChange.Users.Email;

/// <summary>
/// Writes each message as <c>{outbox}/{utc yyyyMMddTHHmmssfffZ}-{messageId}.eml</c> (SPEC.md 3.1), so people and
/// scripts can read mail on a machine without an SMTP server. Names sort by time.
/// </summary>
public sealed class FileOutboxEmailSender(EmailSettings settings, string outboxDir, TimeProvider time) : IEmailSender
{
    public string OutboxDir => outboxDir;

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var messageId = Guid.CreateVersion7(now).ToString("N");
        var mime = MimeMessages.Create(message, settings.From, messageId, now);
        Directory.CreateDirectory(outboxDir);
        var name = $"{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)}-{messageId}.eml";
        // Written under a temporary name and renamed, so a reader polling the folder never sees half a message.
        var temporary = Path.Combine(outboxDir, name + ".tmp");
        await mime.WriteToAsync(temporary, cancellationToken);
        File.Move(temporary, Path.Combine(outboxDir, name));
    }
}
