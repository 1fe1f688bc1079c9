using NeXChange.Notifications;

namespace NeXChange.Domain.Tests.Notifications;

public sealed class FeedIdsTests
{
    /// <summary>PostgreSQL orders uuids by their bytes, big-endian; the feed pages by that order.</summary>
    private static string Sortable(Guid id) => Convert.ToHexString(id.ToByteArray(bigEndian: true));

    [Fact]
    public void ids_made_in_one_millisecond_still_increase_in_the_order_they_were_made()
    {
        var now = new DateTimeOffset(2080, 1, 1, 0, 0, 0, TimeSpan.Zero);   // later than any id this process made before
        var ids = Enumerable.Range(0, 1_000).Select(_ => FeedIds.Next(now)).Select(Sortable).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void an_earlier_clock_reading_never_makes_a_smaller_id()
    {
        var first = Sortable(FeedIds.Next(new DateTimeOffset(2090, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        var second = Sortable(FeedIds.Next(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        Assert.True(string.CompareOrdinal(second, first) > 0);
    }
}
