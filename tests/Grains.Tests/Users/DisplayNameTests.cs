using NeXChange.Errors;
using NeXChange.TestSupport;
using NeXChange.Users;

namespace NeXChange.Grains.Tests.Users;

public sealed class DisplayNameTests(UsersCluster cluster) : IClassFixture<UsersCluster>
{
    [Fact]
    public async Task a_new_name_is_given_only_thirty_days_after_the_last_and_the_old_one_is_kept()
    {
        var (id, me) = await cluster.RegisterAsync($"names-{Guid.NewGuid():N}@example.com");
        var user = cluster.Grains.GetGrain<IUserGrain>(id);

        var early = await Assert.ThrowsAsync<DomainException>(user.RegenerateDisplayName);
        Assert.Equal(ErrorCodes.DisplayNameCooldown, early.Code);
        Assert.Equal(me.DisplayNameChangeableAt, (DateTimeOffset)early.Extensions["changeableAt"]);

        cluster.Clock.Advance(TimeSpan.FromDays(30));
        var change = await user.RegenerateDisplayName();
        Assert.Equal(me.Public.DisplayName, change.PreviousDisplayName);
        Assert.NotEqual(me.Public.DisplayName, change.DisplayName);
        Assert.Matches("^[A-Z][a-z]+[A-Z][a-z]+_[1-9][0-9]{3}$", change.DisplayName);
        Assert.Equal(cluster.Clock.GetUtcNow() + TimeSpan.FromDays(30), change.ChangeableAt);
        Assert.Equal(change.DisplayName, (await user.GetPublicProfile())!.DisplayName);
        Assert.Equal(2L, await cluster.ScalarAsync<long>("select count(*) from display_names where user_id = $1", id));
        Assert.Equal(1L, await cluster.ScalarAsync<long>("select count(*) from audit_log where action = 'DISPLAY_NAME_CHANGED' and entity_id = $1", id.ToString()));
        await Assert.ThrowsAsync<DomainException>(user.RegenerateDisplayName);
    }
}
