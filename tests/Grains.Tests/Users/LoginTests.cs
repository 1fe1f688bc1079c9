using NeXChange.Errors;
using NeXChange.Users;

namespace NeXChange.Grains.Tests.Users;

public sealed class LoginTests(UsersCluster cluster) : IClassFixture<UsersCluster>
{
    private IUserDirectoryGrain Directory => cluster.Grains.GetGrain<IUserDirectoryGrain>(0);

    [Fact]
    public async Task the_right_password_logs_in_and_is_audited()
    {
        var (id, _) = await cluster.RegisterAsync("login.ok@example.com");

        Assert.Equal(new AuthIdentity(id, Roles.User, false), await cluster.Grains.GetGrain<IUserGrain>(id).CheckPassword(UsersCluster.Password));
        Assert.Equal(new AuthIdentity(id, Roles.User, false), await Directory.Login(" Login.OK@example.com", UsersCluster.Password));
        Assert.Equal(2L, await cluster.ScalarAsync<long>(
            "select count(*) from audit_log where action = 'LOGIN_SUCCEEDED' and entity_id = $1", id.ToString()));
    }

    [Fact]
    public async Task a_wrong_password_is_invalid_credentials_and_audited_without_the_raw_email()
    {
        var (id, _) = await cluster.RegisterAsync("login.wrong@example.com");

        var e = await Assert.ThrowsAsync<DomainException>(() => Directory.Login("login.wrong@example.com", UsersCluster.Password + "x"));

        Assert.Equal(ErrorCodes.InvalidCredentials, e.Code);
        var data = await cluster.ScalarAsync<string>(
            "select data->>'emailSha256' from audit_log where action = 'LOGIN_FAILED' and entity_id = $1", id.ToString());
        Assert.Equal(EmailTokens.Sha256Hex("login.wrong@example.com"), data);
        Assert.Equal(0L, await cluster.ScalarAsync<long>("select count(*) from audit_log where data::text like '%login.wrong@%'"));
    }

    [Fact]
    public async Task an_unknown_email_is_the_same_invalid_credentials_and_is_audited_hashed()
    {
        var e = await Assert.ThrowsAsync<DomainException>(() => Directory.Login("Nobody@Example.com", UsersCluster.Password));

        Assert.Equal(ErrorCodes.InvalidCredentials, e.Code);
        Assert.Equal(1L, await cluster.ScalarAsync<long>(
            "select count(*) from audit_log where action = 'LOGIN_FAILED' and data->>'emailSha256' = $1",
            EmailTokens.Sha256Hex("nobody@example.com")));
    }

    [Fact]
    public async Task a_user_id_without_an_account_has_no_credentials_and_no_identity()
    {
        var nobody = cluster.Grains.GetGrain<IUserGrain>(Guid.CreateVersion7());

        Assert.Equal(ErrorCodes.InvalidCredentials, (await Assert.ThrowsAsync<DomainException>(() => nobody.CheckPassword(UsersCluster.Password))).Code);
        Assert.Equal(ErrorCodes.NotFound, (await Assert.ThrowsAsync<DomainException>(() => nobody.GetIdentity())).Code);
        Assert.Null(await nobody.GetPublicProfile());
    }

    [Fact]
    public async Task emails_are_found_trimmed_and_ignoring_case()
    {
        var (id, _) = await cluster.RegisterAsync("login.find@example.com");

        Assert.Equal(id, await Directory.FindByEmail("  LOGIN.Find@Example.com "));
        Assert.Null(await Directory.FindByEmail("login.find@example.org"));
    }

    [Fact]
    public async Task the_audit_log_refuses_updates_and_deletes()
    {
        await cluster.RegisterAsync("login.audit@example.com");

        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => cluster.ScalarAsync<int>("update audit_log set action = 'X'"));
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => cluster.ScalarAsync<int>("delete from audit_log"));
        Assert.True(await cluster.ScalarAsync<long>("select count(*) from audit_log") > 0);
    }
}
