using NeXChange.Errors;
using NeXChange.Users;

namespace NeXChange.Grains.Tests.Users;

public sealed class VerificationTests(UsersCluster cluster) : IClassFixture<UsersCluster>
{
    private IUserDirectoryGrain Directory => cluster.Grains.GetGrain<IUserDirectoryGrain>(0);

    private async Task<string> OnlyTokenFor(string email) => Assert.Single(await cluster.TokensMailedToAsync(email));

    [Fact]
    public async Task the_mailed_token_verifies_the_email()
    {
        var (id, _) = await cluster.RegisterAsync("verify.ok@example.com");

        Assert.Equal(id, await Directory.VerifyEmail(await OnlyTokenFor("verify.ok@example.com")));

        var me = await cluster.Grains.GetGrain<IUserGrain>(id).GetMe();
        Assert.True(me.EmailVerified);
        Assert.Equal(Roles.User, me.Role);
        Assert.Equal(new AuthIdentity(id, Roles.User, true), await cluster.Grains.GetGrain<IUserGrain>(id).GetIdentity());
        Assert.Equal(1L, await cluster.ScalarAsync<long>(
            "select count(*) from audit_log where action = 'EMAIL_VERIFIED' and entity_id = $1", id.ToString()));
    }

    [Fact]
    public async Task a_token_works_only_once()
    {
        await cluster.RegisterAsync("verify.once@example.com");
        var token = await OnlyTokenFor("verify.once@example.com");
        await Directory.VerifyEmail(token);

        var e = await Assert.ThrowsAsync<DomainException>(() => Directory.VerifyEmail(token));

        Assert.Equal(ErrorCodes.TokenInvalid, e.Code);
    }

    [Fact]
    public async Task concurrent_uses_of_one_token_verify_exactly_once()
    {
        var (id, _) = await cluster.RegisterAsync("verify.race@example.com");
        var token = await OnlyTokenFor("verify.race@example.com");

        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            try { await Directory.VerifyEmail(token); return "ok"; }
            catch (DomainException e) { return e.Code; }
        }));

        Assert.Equal(1, attempts.Count(a => a == "ok"));
        Assert.All(attempts.Where(a => a != "ok"), a => Assert.Equal(ErrorCodes.TokenInvalid, a));
        Assert.Equal(1L, await cluster.ScalarAsync<long>(
            "select count(*) from audit_log where action = 'EMAIL_VERIFIED' and entity_id = $1", id.ToString()));
    }

    [Fact]
    public async Task first_verification_posts_the_signup_grant_exactly_once()
    {
        var (id, _) = await cluster.RegisterAsync("verify.grant@example.com");
        await Directory.VerifyEmail(await OnlyTokenFor("verify.grant@example.com"));
        var user = cluster.Grains.GetGrain<IUserGrain>(id);
        // Reads retry a missing grant; they must never post a second one.
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => user.GetMe()));

        Assert.Equal(10_000, (await cluster.Grains.GetGrain<NeXChange.Credits.ICreditAccountGrain>(id).GetBalance()).AvailableMinor);
        Assert.Equal(1L, await cluster.ScalarAsync<long>(
            "select count(*) from ledger.transactions where kind = 'signup_grant' and idempotency_key = $1", $"grant:signup:{id}"));
        Assert.True(await cluster.ScalarAsync<bool>("select signup_granted from users where id = $1", id));
    }

    [Fact]
    public async Task an_unknown_token_is_token_invalid()
    {
        var e = await Assert.ThrowsAsync<DomainException>(() => Directory.VerifyEmail(EmailTokens.Create().Raw));
        Assert.Equal(ErrorCodes.TokenInvalid, e.Code);
    }

    [Fact]
    public async Task a_token_older_than_24_hours_is_token_invalid()
    {
        var (id, _) = await cluster.RegisterAsync("verify.expired@example.com");
        var token = await OnlyTokenFor("verify.expired@example.com");

        cluster.Clock.Advance(TimeSpan.FromHours(24));

        var e = await Assert.ThrowsAsync<DomainException>(() => Directory.VerifyEmail(token));
        Assert.Equal(ErrorCodes.TokenInvalid, e.Code);
        Assert.False((await cluster.Grains.GetGrain<IUserGrain>(id).GetMe()).EmailVerified);
    }

    [Fact]
    public async Task a_token_just_under_24_hours_old_still_works()
    {
        var (id, _) = await cluster.RegisterAsync("verify.late@example.com");
        var token = await OnlyTokenFor("verify.late@example.com");

        cluster.Clock.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));

        Assert.Equal(id, await Directory.VerifyEmail(token));
        Assert.True((await cluster.Grains.GetGrain<IUserGrain>(id).GetMe()).EmailVerified);
    }

    [Fact]
    public async Task a_newer_token_voids_the_older_one()
    {
        var (id, _) = await cluster.RegisterAsync("verify.newer@example.com");
        await cluster.Grains.GetGrain<IUserGrain>(id).ResendVerification();
        var tokens = await cluster.TokensMailedToAsync("verify.newer@example.com");
        Assert.Equal(2, tokens.Count);

        var e = await Assert.ThrowsAsync<DomainException>(() => Directory.VerifyEmail(tokens[0]));
        Assert.Equal(ErrorCodes.TokenInvalid, e.Code);

        await Directory.VerifyEmail(tokens[1]);
        Assert.True((await cluster.Grains.GetGrain<IUserGrain>(id).GetMe()).EmailVerified);
    }

    [Fact]
    public async Task the_bootstrap_admin_address_becomes_admin_on_verification()
    {
        var (id, me) = await cluster.RegisterAsync(" BOSS@nexchange.TEST ");
        Assert.Equal(Roles.User, me.Role);

        await Directory.VerifyEmail(await OnlyTokenFor(UsersCluster.BootstrapAdmin));

        Assert.Equal(new AuthIdentity(id, Roles.Admin, true), await cluster.Grains.GetGrain<IUserGrain>(id).GetIdentity());
        Assert.Equal("admin", await cluster.ScalarAsync<string>("select role from users where id = $1", id));
        Assert.Equal("""{"to": "admin", "from": "user", "reason": "bootstrap_admin_email"}""", await cluster.ScalarAsync<string>(
            "select data::text from audit_log where action = 'ROLE_CHANGED' and entity_id = $1", id.ToString()));
    }

    [Fact]
    public async Task resending_is_refused_once_the_email_is_verified()
    {
        var (id, _) = await cluster.RegisterAsync("verify.done@example.com");
        await Directory.VerifyEmail(await OnlyTokenFor("verify.done@example.com"));

        var e = await Assert.ThrowsAsync<DomainException>(() => cluster.Grains.GetGrain<IUserGrain>(id).ResendVerification());

        Assert.Equal(ErrorCodes.InvalidTransition, e.Code);
    }

    [Fact]
    public async Task a_fourth_resend_within_an_hour_is_rate_limited_until_the_first_is_an_hour_old()
    {
        var (id, _) = await cluster.RegisterAsync("verify.resend@example.com");
        var user = cluster.Grains.GetGrain<IUserGrain>(id);
        for (var i = 0; i < 3; i++)
        {
            await user.ResendVerification();
            cluster.Clock.Advance(TimeSpan.FromMinutes(10));
        }

        var e = await Assert.ThrowsAsync<DomainException>(() => user.ResendVerification());

        Assert.Equal(ErrorCodes.RateLimited, e.Code);
        Assert.Equal(30 * 60, Convert.ToInt32(e.Extensions["retryAfterSeconds"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(4, (await cluster.TokensMailedToAsync("verify.resend@example.com")).Count);

        cluster.Clock.Advance(TimeSpan.FromMinutes(30));
        await user.ResendVerification();
        Assert.Equal(5, (await cluster.TokensMailedToAsync("verify.resend@example.com")).Count);
    }
}
