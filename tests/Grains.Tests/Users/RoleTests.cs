using NeXChange.Errors;
using NeXChange.Users;

namespace NeXChange.Grains.Tests.Users;

public sealed class RoleTests(UsersCluster cluster) : IClassFixture<UsersCluster>
{
    [Fact]
    public async Task two_admins_demoting_themselves_at_once_leave_one_admin()
    {
        var (first, _) = await cluster.RegisterAsync($"admin-a-{Guid.NewGuid():N}@example.com");
        var (second, _) = await cluster.RegisterAsync($"admin-b-{Guid.NewGuid():N}@example.com");
        var a = cluster.Grains.GetGrain<IUserGrain>(first);
        var b = cluster.Grains.GetGrain<IUserGrain>(second);
        await a.ChangeRole(first, Roles.Admin);
        await b.ChangeRole(first, Roles.Admin);

        var outcomes = await Task.WhenAll(new[] { a, b }.Select(async grain =>
        {
            try { return await grain.ChangeRole(Guid.Empty, Roles.User); }
            catch (DomainException e) { return e.Code; }
        }));

        Assert.Equal(1, outcomes.Count(o => o == Roles.User));
        Assert.Equal(1, outcomes.Count(o => o == ErrorCodes.LastAdmin));
        Assert.Equal(1L, await cluster.ScalarAsync<long>("select count(*) from users where role = 'admin'"));
    }
}
