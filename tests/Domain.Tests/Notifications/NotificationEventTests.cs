using NeXChange.Notifications;

namespace NeXChange.Domain.Tests.Notifications;

public sealed class NotificationEventTests
{
    [Fact]
    public void event_ids_are_stable_per_key_and_differ_between_keys()
    {
        var id = NotificationEvent.IdFor("trade:1:offer_received");

        Assert.Equal(id, NotificationEvent.IdFor("trade:1:offer_received"));
        Assert.NotEqual(id, NotificationEvent.IdFor("trade:1:offer_accepted"));
        Assert.Equal(8, id.Version);
        Assert.Equal(0b10, id.Variant >> 2);
    }
}
