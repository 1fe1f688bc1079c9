using NeXChange.Users;

namespace NeXChange.Domain.Tests.Users;

/// <summary>SPEC.md 3.6: inside old trades and feedback a deleted user appears as "Deleted user" with no avatar.</summary>
public sealed class PublicProfileLiteTests
{
    [Fact]
    public void a_deleted_user_appears_as_deleted_user_with_no_avatar_and_no_rating()
    {
        var id = Guid.CreateVersion7();

        Assert.Equal(new PublicProfileLite(id, "Deleted user", null, null, 0, false), PublicProfileLite.Of(id, null));
    }

    [Fact]
    public void a_live_user_keeps_the_public_fields_of_the_full_profile()
    {
        var id = Guid.CreateVersion7();
        var profile = new PublicProfile(id, "SwiftEagle_7432", "https://x.test/a.svg", 4.5m, 2, 3, 75.0m, 100.0m, true, "2026-01", "New York area");

        Assert.Equal(new PublicProfileLite(id, "SwiftEagle_7432", "https://x.test/a.svg", 4.5m, 2, true), PublicProfileLite.Of(id, profile));
    }
}
