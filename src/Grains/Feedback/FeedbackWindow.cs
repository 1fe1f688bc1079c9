namespace NeXChange.Feedback;

/// <summary>
/// The 7 days after a trade ends (SPEC.md 6.9): feedback may be posted while it is open; once it has closed every
/// posted rating is visible, whether or not the other party posted.
/// </summary>
public static class FeedbackWindow
{
    public static readonly TimeSpan Length = TimeSpan.FromDays(7);

    public static bool IsOpen(DateTimeOffset endedAt, DateTimeOffset now) => now <= endedAt + Length;

    /// <summary>Trades that ended before this instant have a closed window (for SQL, which compares ended_at with it).</summary>
    public static DateTimeOffset ClosedForEndsBefore(DateTimeOffset now) => now - Length;
}
