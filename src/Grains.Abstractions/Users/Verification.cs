namespace NeXChange.Users;

/// <summary>The identity verification states and document types of SPEC.md 3.8.</summary>
public static class VerificationStates
{
    public const string Unverified = "unverified";
    public const string Pending = "pending";
    public const string Verified = "verified";
    public const string Rejected = "rejected";

    /// <summary>The states a request can be in, which the moderator queue filters by.</summary>
    public static readonly IReadOnlySet<string> RequestStates = new HashSet<string>(StringComparer.Ordinal) { Pending, Verified, Rejected };

    public static readonly IReadOnlySet<string> DocumentTypes =
        new HashSet<string>(StringComparer.Ordinal) { "passport", "drivers_license", "national_id" };
}

/// <summary>A moderator's decision on the pending request: approve, or reject with a reason shown to the user.</summary>
[GenerateSerializer, Alias("NeXChange.Users.VerificationDecision")]
public sealed record VerificationDecision([property: Id(0)] string? Decision, [property: Id(1)] string? Reason);

/// <summary>
/// One request in the moderator queue (SPEC.md 8.6). Full name and date of birth appear only here (3.6); the
/// document URL is signed for an hour and null once the document was deleted.
/// </summary>
[GenerateSerializer, Alias("NeXChange.Users.VerificationQueueItem")]
public sealed record VerificationQueueItem(
    [property: Id(0)] Guid UserId,
    [property: Id(1)] string DisplayName,
    [property: Id(2)] string? FullName,
    [property: Id(3)] string? DateOfBirth,
    [property: Id(4)] string DocumentType,
    [property: Id(5)] DateTimeOffset SubmittedAt,
    [property: Id(6)] string Status,
    [property: Id(7)] string? DocumentUrl)
{
    // Personal data stays out of logs and traces.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("UserId = ").Append(UserId);
        return true;
    }
}

[GenerateSerializer, Alias("NeXChange.Users.VerificationPage")]
public sealed record VerificationPage([property: Id(0)] IReadOnlyList<VerificationQueueItem> Items, [property: Id(1)] string? NextBefore);

/// <summary>The moderators' verification queue, oldest first (SPEC.md 8.6).</summary>
public interface IVerificationQueueGrain : IGrainWithIntegerKey
{
    Task<VerificationPage> List(string status, string? before, int limit);
}
