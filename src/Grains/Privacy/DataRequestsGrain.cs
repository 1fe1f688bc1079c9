using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NeXChange.Audit;
using NeXChange.Credits;
using NeXChange.Errors;
using NeXChange.Hosting;
using NeXChange.Images;
using NeXChange.Privacy.Export;
using NeXChange.Storage;
using NeXChange.Users;

namespace NeXChange.Privacy;

/// <summary>
/// One user's data-subject requests (SPEC.md 3.10). Rectify is applied inside the call; export, port and delete are
/// recorded and run by this grain one after the other: at once on a timer, and on a reminder every minute until none is
/// open, so a crash or a restart resumes them. Times of the rules (deadlines, archive expiry) come from the domain clock.
/// </summary>
public sealed class DataRequestsGrain(
    DataRequestStore store,
    AccountErasure erasure,
    DataExportWriter exports,
    IBlobStore blobs,
    [FromKeyedServices(Clocks.Domain)] TimeProvider time,
    ILogger<DataRequestsGrain> logger) : Grain, IDataRequestsGrain, IRemindable
{
    private const string JobReminder = "jobs";

    /// <summary>Export and port archives can be downloaded for 7 days after completion (SPEC.md 3.10, 3.11).</summary>
    public static readonly TimeSpan ArchiveLifetime = TimeSpan.FromDays(7);

    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    private Guid UserId => this.GetPrimaryKey();

    public async Task<DataRequestView> Submit(DataRequestSubmission submission)
    {
        var type = submission.Type;
        if (type is null || !DataRequestTypes.Sla.TryGetValue(type, out var sla))
            throw DomainException.Validation("type", type is null ? FieldCodes.Required : FieldCodes.UnknownValue,
                "type is export, port, rectify or delete.");
        var user = GrainFactory.GetGrain<IUserGrain>(UserId);
        await user.GetIdentity();
        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var received = Audit(AuditActions.DsrReceived, id, type);
        if (type == DataRequestTypes.Rectify)
        {
            var changes = submission.Changes ?? throw DomainException.Validation("changes", FieldCodes.Required, "A rectification lists its changes.");
            await user.UpdateProfile(changes);
            var done = new DataRequestStore.Row(id, UserId, type, DataRequestStatuses.Completed, now, now + sla, now, null, null, null);
            // Which fields changed, never their values (SPEC.md 3.13).
            await store.InsertAsync(done, [received, Audit(AuditActions.DsrCompleted, id, type, new { type, fields = changes.Present.Order().ToArray() })]);
            return done.View(now);
        }
        if (type == DataRequestTypes.Delete) await CheckDeletion(user, submission);

        var row = new DataRequestStore.Row(id, UserId, type, DataRequestStatuses.Received, now, now + sla, null, null, null, null);
        await store.InsertAsync(row, [received]);
        await this.RegisterOrUpdateReminder(JobReminder, ReminderPeriod, ReminderPeriod);
        this.RegisterGrainTimer(RunJobs, new GrainTimerCreationOptions(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        return row.View(now);
    }

    /// <summary>
    /// The checks of SPEC.md 3.10 in its order: password, forfeit acknowledgement, escrow, conversions in flight (the
    /// job checks the last two again when it runs).
    /// </summary>
    private async Task CheckDeletion(IUserGrain user, DataRequestSubmission submission)
    {
        await user.ConfirmPassword(submission.Password ?? "");
        var balance = await GrainFactory.GetGrain<ICreditAccountGrain>(UserId).GetBalance();
        if (balance.AvailableMinor > 0 && !submission.AcknowledgeBalanceForfeit)
            throw new DomainException(ErrorCodes.BalanceForfeitUnacknowledged,
                "Deleting the account forfeits its available credits: send acknowledgeBalanceForfeit: true.",
                extensions: new Dictionary<string, object> { ["availableMinor"] = balance.AvailableMinor });
        if (await erasure.BlockerAsync(UserId) is { } blocker)
            throw new DomainException(blocker, blocker == ErrorCodes.EscrowHeld
                ? "Finish or cancel the trades that hold escrow first."
                : "Wait until your conversions in flight have completed, failed or expired.");
    }

    public async Task<IReadOnlyList<DataRequestView>> List()
    {
        var now = time.GetUtcNow();
        return (await store.ListAsync(UserId)).Select(r => r.View(now)).ToList();
    }

    public async Task<DataRequestView> Get(Guid requestId) =>
        (await store.GetAsync(UserId, requestId) ?? throw DomainException.NotFound()).View(time.GetUtcNow());

    public async Task<ArchiveLink> GetArchive(Guid requestId)
    {
        var row = await store.GetAsync(UserId, requestId);
        if (row is null || !DataRequestTypes.BuildsArchive(row.Type) || row.Status == DataRequestStatuses.Failed)
            throw DomainException.NotFound();
        if (row.Status != DataRequestStatuses.Completed)
            throw new DomainException(ErrorCodes.ArchiveNotReady, "The archive is still being built.");
        var now = time.GetUtcNow();
        // Past its 7 days the archive is gone, even before the daily job has deleted the blob.
        if (row.ArchiveKey is not { } key || row.ArchiveExpiresAt <= now) throw DomainException.NotFound();
        return new ArchiveLink(await blobs.SignedUrlAsync(key, PhotoStore.PrivateUrlLifetime), now + PhotoStore.PrivateUrlLifetime);
    }

    public async Task RunJobs()
    {
        foreach (var request in (await store.ListAsync(UserId, openOnly: true)).OrderBy(r => r.CreatedAt))
        {
            try
            {
                await RunJob(request);
            }
            catch (Exception e)
            {
                // Transient (a store or grain unreachable): the request stays open and the reminder tries again.
                logger.LogError(e, "Data request {RequestId} ({Type}) failed to run; it will be retried", request.Id, request.Type);
                return;
            }
        }
        if (await this.GetReminder(JobReminder) is { } reminder) await this.UnregisterReminder(reminder);
    }

    private async Task RunJob(DataRequestStore.Row request)
    {
        await store.MarkProcessingAsync(request.Id);
        if (request.Type == DataRequestTypes.Delete)
        {
            var failure = await erasure.RunAsync(UserId);
            if (failure is null) await DeleteArchivesAsync();
            await Finish(request, failure, archiveKey: null);
            return;
        }
        var key = $"private/exports/{UserId:N}/{request.Id:N}.zip";
        await exports.WriteAsync(UserId, key, CancellationToken.None);
        await Finish(request, null, key);
    }

    private async Task Finish(DataRequestStore.Row request, string? failure, string? archiveKey)
    {
        var now = time.GetUtcNow();
        var audit = failure is null
            ? Audit(AuditActions.DsrCompleted, request.Id, request.Type)
            : Audit(AuditActions.DsrFailed, request.Id, request.Type, new { type = request.Type, failureReason = failure });
        await store.FinishAsync(request.Id, failure is null ? DataRequestStatuses.Completed : DataRequestStatuses.Failed, failure,
            archiveKey, archiveKey is null ? null : now + ArchiveLifetime, audit, now);
    }

    /// <summary>A deleted account's earlier archives hold everything it had: they go with it.</summary>
    private async Task DeleteArchivesAsync()
    {
        foreach (var row in await store.ListAsync(UserId))
        {
            if (row.ArchiveKey is not { } key) continue;
            await blobs.DeleteAsync(key);
            await store.ForgetArchiveAsync(row.Id);
        }
    }

    private AuditEntry Audit(string action, Guid requestId, string type, object? data = null) =>
        new(action, "data_request", requestId.ToString(), UserId, data ?? new { type });

    public Task ReceiveReminder(string reminderName, TickStatus status) => reminderName == JobReminder ? RunJobs() : Task.CompletedTask;
}
