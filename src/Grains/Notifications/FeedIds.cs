namespace NeXChange.Notifications;

/// <summary>
/// Feed entries page newest first by id (UUIDv7). Ids made in the same millisecond would compare by their random bits,
/// so two notifications published one after the other could swap places; these ids never go backwards within a silo:
/// a millisecond already used is moved on by one.
/// </summary>
public static class FeedIds
{
    private static long lastMilliseconds;

    public static Guid Next(DateTimeOffset now)
    {
        var wanted = now.ToUnixTimeMilliseconds();
        long previous, next;
        do
        {
            previous = Interlocked.Read(ref lastMilliseconds);
            next = Math.Max(wanted, previous + 1);
        }
        while (Interlocked.CompareExchange(ref lastMilliseconds, next, previous) != previous);
        return Guid.CreateVersion7(DateTimeOffset.FromUnixTimeMilliseconds(next));
    }
}
