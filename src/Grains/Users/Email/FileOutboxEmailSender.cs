using System.Globalization;
using NeXChange.Storage;

namespace NeXChange.Users.Email;

/// <summary>
/// Writes each message as <c>{outbox}/{utc yyyyMMddTHHmmssfffZ}-{messageId}.eml</c> (SPEC.md 3.1), so people and
/// scripts can read mail on a machine without an SMTP server. Names sort by time. Messages carry tokens, so the folder
/// and its files are private to the service's user.
/// </summary>
public sealed class FileOutboxEmailSender(EmailSettings settings, string outboxDir, TimeProvider time) : IEmailSender
{
    public string OutboxDir => outboxDir;

    public async Task SendAsync(EmailMessage message, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var messageId = Guid.CreateVersion7(now).ToString("N");
        var mime = MimeMessages.Create(message, settings.From, messageId, now);
        PrivateFiles.CreateDirectory(outboxDir);
        var name = $"{now.UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)}-{messageId}.eml";
        // Written under a temporary name and renamed, so a reader polling the folder never sees half a message.
        var temporary = Path.Combine(outboxDir, name + ".tmp");
        await using (var file = PrivateFiles.CreateNew(temporary))
        {
            await mime.WriteToAsync(file, cancellationToken);
        }
        File.Move(temporary, Path.Combine(outboxDir, name));
    }
}
