using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NeXChange.Audit;
using NeXChange.Errors;
using NeXChange.Hosting;
using NeXChange.Images;
using NeXChange.Notifications;
using NeXChange.Storage;

namespace NeXChange.Users.Verification;

/// <summary>
/// Identity verification (SPEC.md 3.8) for the UserGrain, which stays the single writer of the user row and calls
/// this with its own state checked: documents into private storage, decisions recorded, audited and notified, and
/// documents deleted 90 days after their decision (3.11). Times come from the domain clock, so the dev clock's
/// advance reaches the deletion.
/// </summary>
public sealed class VerificationDesk(
    VerificationStore store,
    PhotoStore photos,
    IBlobStore blobs,
    Notifier notifier,
    [FromKeyedServices(Clocks.Domain)] TimeProvider time,
    ILogger<VerificationDesk> logger)
{
    public static readonly TimeSpan DocumentRetention = TimeSpan.FromDays(90);
    private const int SweepBatch = 500;

    /// <summary>Stores the document and records the pending request; a refused file leaves nothing behind.</summary>
    public async Task SubmitAsync(Guid userId, string documentType, byte[] file)
    {
        var kind = IdentityDocument.Classify(file);
        var now = time.GetUtcNow();
        var requestId = Guid.CreateVersion7(now);
        var prefix = PhotoStore.VerificationPrefix(userId, requestId);
        string key;
        if (kind == IdentityDocument.Kind.Image)
            key = (await photos.StoreVerificationImageAsync(userId, requestId, file)).KeyOf(PhotoVariants.Master, PhotoFormat.Jpeg);
        else
        {
            key = $"{prefix}/document.pdf";
            using var content = new MemoryStream(file, writable: false);
            await blobs.PutAsync(key, content, ContentTypes.Pdf);
        }
        try
        {
            await store.SubmitAsync(new VerificationStore.NewRequest(requestId, userId, documentType, prefix, key, now),
                new AuditEntry(AuditActions.VerificationSubmitted, "user", userId.ToString(), userId, new { requestId, documentType }));
        }
        catch
        {
            await DeleteBlobsAsync(prefix);
            throw;
        }
    }

    /// <summary>Records the decision and tells the user; false when no request is pending (then nothing changed).</summary>
    public async Task<bool> DecideAsync(Guid userId, Guid moderatorId, string status, string? reason)
    {
        var now = time.GetUtcNow();
        var audit = new AuditEntry(AuditActions.VerificationDecided, "user", userId.ToString(), moderatorId, new { status });
        if (!await store.DecideAsync(userId, status, moderatorId, reason, audit, now)) return false;
        try
        {
            await notifier.PublishAsync(new NotificationEvent(Guid.CreateVersion7(now), NotificationTypes.VerificationDecided, [userId],
                null, null, new Dictionary<string, object?> { ["verificationStatus"] = status, ["reason"] = reason }));
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or TimeoutException)
        {
            // The decision is committed and the user sees it as their status; the moderator is not failed for the notice.
            logger.LogWarning(e, "The verification decision notice for user {UserId} was not published", userId);
        }
        return true;
    }

    /// <summary>Deletes every document whose decision is 90 days old; the request records stay. Idempotent.</summary>
    public async Task<int> DeleteDueDocumentsAsync()
    {
        var now = time.GetUtcNow();
        var deleted = 0;
        while (true)
        {
            var due = await store.DueDocumentsAsync(now - DocumentRetention, SweepBatch);
            if (due.Count == 0) return deleted;
            await DeleteDocumentsAsync(due, now);
            deleted += due.Count;
            logger.LogInformation("Deleted {Count} verification documents past retention", due.Count);
        }
    }

    /// <summary>A DSR delete (SPEC.md 3.10): every document of the user, at once; the request records stay.</summary>
    public async Task DeleteDocumentsOfAsync(Guid userId) =>
        await DeleteDocumentsAsync(await store.DocumentsOfAsync(userId), time.GetUtcNow());

    private async Task DeleteDocumentsAsync(IReadOnlyList<VerificationStore.DueDocument> documents, DateTimeOffset now)
    {
        foreach (var document in documents)
        {
            await DeleteBlobsAsync(document.DocumentPrefix);
            await store.MarkDocumentDeletedAsync(document.Id, now);
        }
    }

    private async Task DeleteBlobsAsync(string prefix)
    {
        // The trailing slash keeps one request's prefix from matching another id that starts the same way.
        await foreach (var blob in blobs.ListAsync(prefix + "/")) await blobs.DeleteAsync(blob.Key);
    }
}
