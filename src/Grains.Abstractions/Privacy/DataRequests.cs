using NeXChange.Users;

namespace NeXChange.Privacy;

/// <summary>The request types of SPEC.md 3.10 and how long each may take (deadline = createdAt + SLA).</summary>
public static class DataRequestTypes
{
    public const string Export = "export";
    public const string Port = "port";
    public const string Rectify = "rectify";
    public const string Delete = "delete";

    public static readonly IReadOnlyDictionary<string, TimeSpan> Sla = new Dictionary<string, TimeSpan>(StringComparer.Ordinal)
    {
        [Export] = TimeSpan.FromDays(30),
        [Port] = TimeSpan.FromDays(14),
        [Rectify] = TimeSpan.FromDays(7),
        [Delete] = TimeSpan.FromDays(30),
    };

    /// <summary>The types whose job builds a downloadable archive.</summary>
    public static bool BuildsArchive(string type) => type is Export or Port;
}

public static class DataRequestStatuses
{
    public const string Received = "received";
    public const string Processing = "processing";
    public const string Completed = "completed";
    public const string Failed = "failed";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Received, Processing, Completed, Failed };
}

/// <summary>
/// DataRequest of SPEC.md 8.1. <see cref="Overdue"/>: an open request past its deadline, or one completed after it.
/// </summary>
[GenerateSerializer, Alias("NeXChange.Privacy.DataRequestView")]
public sealed record DataRequestView(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Type,
    [property: Id(2)] string Status,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset SlaDeadline,
    [property: Id(5)] bool Overdue,
    [property: Id(6)] DateTimeOffset? CompletedAt,
    [property: Id(7)] string? FailureReason,
    [property: Id(8)] DateTimeOffset? ArchiveExpiresAt);

/// <summary>POST /me/data-requests. The password is checked and forgotten; it never reaches a log.</summary>
[GenerateSerializer, Alias("NeXChange.Privacy.DataRequestSubmission")]
public sealed record DataRequestSubmission(
    [property: Id(0)] string? Type,
    [property: Id(1)] ProfileChanges? Changes,
    [property: Id(2)] string? Password,
    [property: Id(3)] bool AcknowledgeBalanceForfeit)
{
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Type = ").Append(Type);
        return true;
    }
}

/// <summary>A signed URL of an export or port archive (SPEC.md 8.2: one hour).</summary>
[GenerateSerializer, Alias("NeXChange.Privacy.ArchiveLink")]
public sealed record ArchiveLink([property: Id(0)] string Url, [property: Id(1)] DateTimeOffset ExpiresAt);

[GenerateSerializer, Alias("NeXChange.Privacy.DataRequestQueueItem")]
public sealed record DataRequestQueueItem(
    [property: Id(0)] DataRequestView Request,
    [property: Id(1)] Guid UserId,
    [property: Id(2)] string DisplayName);

[GenerateSerializer, Alias("NeXChange.Privacy.DataRequestQueuePage")]
public sealed record DataRequestQueuePage([property: Id(0)] IReadOnlyList<DataRequestQueueItem> Items, [property: Id(1)] string? NextBefore);

/// <summary>
/// One user's data-subject requests (keyed by the user id): it takes them, runs their jobs one after the other on a
/// reminder (so a crash or restart resumes them), and answers the user's reads. Refusals are DomainExceptions with
/// the codes of SPEC.md 8.2.
/// </summary>
public interface IDataRequestsGrain : IGrainWithGuidKey
{
    Task<DataRequestView> Submit(DataRequestSubmission submission);
    Task<IReadOnlyList<DataRequestView>> List();
    Task<DataRequestView> Get(Guid requestId);
    Task<ArchiveLink> GetArchive(Guid requestId);

    /// <summary>Runs every open request's job now; also what the reminder calls. Idempotent.</summary>
    Task RunJobs();
}

/// <summary>The moderators' queue of SPEC.md 8.6: overdue first, then by deadline.</summary>
public interface IDataRequestQueueGrain : IGrainWithIntegerKey
{
    Task<DataRequestQueuePage> List(string? status, string? type, string? before, int limit);
}
