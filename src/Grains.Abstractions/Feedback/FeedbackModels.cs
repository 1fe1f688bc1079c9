using NeXChange.Users;

namespace NeXChange.Feedback;

/// <summary>One rating as SPEC.md 6.9 shows it; <see cref="Role"/> is the author's side of the trade.</summary>
[GenerateSerializer, Alias("NeXChange.Feedback.FeedbackEntry")]
public sealed record FeedbackEntry(
    [property: Id(0)] Guid Id,
    [property: Id(1)] int Rating,
    [property: Id(2)] string? Comment,
    [property: Id(3)] PublicProfileLite From,
    [property: Id(4)] string Role,
    [property: Id(5)] DateTimeOffset CreatedAt)
{
    // Orleans traces response bodies: a comment is free text that may be blind still, so it never reaches a log line.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Id = ").Append(Id).Append(", Rating = ").Append(Rating);
        return true;
    }
}

/// <summary><c>GET /trades/{id}/feedback</c>: <see cref="Theirs"/> stays null while it is blind.</summary>
[GenerateSerializer, Alias("NeXChange.Feedback.TradeFeedback")]
public sealed record TradeFeedback([property: Id(0)] FeedbackEntry? Mine, [property: Id(1)] FeedbackEntry? Theirs);

[GenerateSerializer, Alias("NeXChange.Feedback.FeedbackPage")]
public sealed record FeedbackPage([property: Id(0)] IReadOnlyList<FeedbackEntry> Items, [property: Id(1)] string? NextBefore);
