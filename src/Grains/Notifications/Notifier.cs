using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NeXChange.Hosting;
using NeXChange.Users;
using NeXChange.Users.Email;

namespace NeXChange.Notifications;

/// <summary>
/// Publishes notification events (SPEC.md 6.10): one feed row per recipient, de-duplicated by (recipient, event id),
/// and an email for the mailed types when the recipient's settings allow it. A row conflicting with an earlier
/// publish sends nothing, so email is at most once: a crash between the insert and the send loses that email (the
/// feed entry stays), and a retried publish does not resend it.
/// </summary>
public sealed class Notifier(
    NotificationStore store,
    UserStore users,
    IEmailSender email,
    UserSettings settings,
    [FromKeyedServices(Clocks.Domain)] TimeProvider time,
    ILogger<Notifier> logger)
{
    /// <summary>Kept small: the feed carries a few display strings and numbers, never documents.</summary>
    public const int MaxDataBytes = 4096;

    public async Task PublishAsync(NotificationEvent notification)
    {
        var notice = Prepare(notification, time.GetUtcNow());
        if (notice.Recipients.Count == 0) return;

        var inserted = await store.InsertAsync(notification, notice.Recipients, notice.DataJson, notice.At);
        if (!NotificationEmail.IsMailed(notification.Type)) return;
        foreach (var recipient in inserted) await EmailAsync(recipient, notification);
    }

    /// <summary>
    /// A checked event of a type that is never mailed, to be written with a ledger posting
    /// (<see cref="Credits.LedgerPosting.Notice"/>): its feed entries commit exactly when the posting does.
    /// </summary>
    public static PostingNotice ForPosting(NotificationEvent notification, DateTimeOffset at) =>
        NotificationEmail.IsMailed(notification.Type)
            ? throw new ArgumentException($"'{notification.Type}' is mailed: publish it after the posting.", nameof(notification))
            : Prepare(notification, at);

    private static PostingNotice Prepare(NotificationEvent notification, DateTimeOffset at)
    {
        if (!NotificationTypes.All.Contains(notification.Type))
            throw new ArgumentException($"'{notification.Type}' is not a notification type.", nameof(notification));
        return new PostingNotice(notification, notification.Recipients.Distinct().ToList(), SerializeData(notification.Data), at);
    }

    /// <summary>
    /// Only to a verified address (an unverified one may not be the user's) and only when the user's setting allows.
    /// A failure is logged without the address and does not fail the publish: the feed entry is the record.
    /// </summary>
    private async Task EmailAsync(Guid recipientId, NotificationEvent notification)
    {
        try
        {
            var user = await users.LoadAsync(recipientId);
            if (user is not { EmailVerified: true, IsDeleted: false }) return;
            if (!NotificationEmail.IsWanted(notification.Type, user.Settings ?? AccountSettings.Default)) return;
            await email.SendAsync(NotificationEmail.Create(user.Email, notification, settings.PublicBaseUrl));
        }
        catch (Exception e)
        {
            logger.LogError(e, "Notification email {Type} of event {EventId} for user {UserId} could not be sent",
                notification.Type, notification.EventId, recipientId);
        }
    }

    private static string SerializeData(IReadOnlyDictionary<string, object?> data)
    {
        foreach (var (key, value) in data)
        {
            if (value is not (null or string or bool or sbyte or byte or short or ushort or int or uint or long))
                throw new ArgumentException($"Notification data '{key}' must be a string, an integer or a boolean.", nameof(data));
        }
        var json = JsonSerializer.Serialize(data);
        return System.Text.Encoding.UTF8.GetByteCount(json) <= MaxDataBytes ? json : throw new ArgumentException("Notification data is too large.", nameof(data));
    }
}

/// <summary>
/// A notification checked and serialized, ready to be inserted (<see cref="NotificationStore"/>), stamped by the domain
/// clock like every other feed entry, so the feed keeps one order when the dev clock moves.
/// </summary>
public sealed record PostingNotice(NotificationEvent Event, IReadOnlyList<Guid> Recipients, string DataJson, DateTimeOffset At);
