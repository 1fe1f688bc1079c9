using NeXChange.Sessions;
using NeXChange.Silo.Commands;
using NeXChange.Users;
using StackExchange.Redis;
using NeXChange.TestSupport;

namespace NeXChange.Grains.Tests.Operations;

public class CreateAdminTests(OperationsDatabase db) : IClassFixture<OperationsDatabase>
{
    private static readonly string Password = TestPasswords.New();

    /// <summary>When the existing accounts registered: create-admin compares no date of theirs, so any fixed one does.</summary>
    private static readonly DateTimeOffset Registered = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private Task<(int Code, string Output, string Error)> RunAsync(string email, string? password) =>
        db.RunCliAsync(["create-admin", "--email", email], password);

    private Task<long> CountAsync(string sql, params object[] parameters) => db.ScalarAsync<long>(sql, parameters);

    /// <summary>
    /// What a run could add, counted over the whole database: the fixture is shared, so a test compares these before
    /// and after its own run instead of expecting the other tests' rows to be absent.
    /// </summary>
    private Task<string?> RowCountsAsync() => db.ScalarAsync<string>("""
        select format('users %s, email tokens %s, accounts %s, transactions %s, entries %s, audit %s',
            (select count(*) from users), (select count(*) from email_tokens), (select count(*) from ledger.accounts),
            (select count(*) from ledger.transactions), (select count(*) from ledger.entries), (select count(*) from audit_log))
        """);

    [Fact]
    public async Task the_silo_executable_creates_a_verified_admin_with_one_signup_grant_and_a_second_run_changes_nothing()
    {
        var first = await db.RunSiloAsync(Password, "create-admin", "--email", "  Root@Example.TEST ");

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Contains("Created admin root@example.test", first.Output, StringComparison.Ordinal);
        var id = await db.ScalarAsync<Guid>("select id from users where email = 'root@example.test'");
        Assert.Equal((Roles.Admin, true, true), (await db.ScalarAsync<string>("select role from users where id = $1", id),
            await db.ScalarAsync<bool>("select email_verified from users where id = $1", id),
            await db.ScalarAsync<bool>("select signup_granted from users where id = $1", id)));
        Assert.Equal(10_000L, await CountAsync("select balance from ledger.accounts where owner_id = $1 and kind = 'USER_AVAILABLE'", id));
        Assert.Equal(2L, await CountAsync("select count(*) from ledger.accounts where owner_id = $1", id));
        Assert.Equal(0L, await CountAsync("select count(*) from email_tokens where user_id = $1", id));
        Assert.Equal(1L, await CountAsync("select count(*) from audit_log where entity_id = $1 and action = 'USER_REGISTERED' and actor_id is null and data->>'via' = 'cli'", id.ToString()));
        Assert.Equal(1L, await CountAsync("select count(*) from audit_log where entity_id = $1 and action = 'ROLE_CHANGED' and data->>'to' = 'admin'", id.ToString()));

        var rowsBefore = await RowCountsAsync();
        var second = await db.RunSiloAsync(Password, "create-admin", "--email", "root@example.test");

        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Contains("already a verified admin", second.Output, StringComparison.Ordinal);
        Assert.Equal(1L, await CountAsync("select count(*) from ledger.transactions where idempotency_key = $1", $"grant:signup:{id}"));
        Assert.Equal(10_000L, await CountAsync("select balance from ledger.accounts where owner_id = $1 and kind = 'USER_AVAILABLE'", id));
        Assert.Equal(rowsBefore, await RowCountsAsync());
        Assert.DoesNotContain(Password, first.Output + first.Error + second.Output + second.Error, StringComparison.Ordinal);
        Assert.Equal(0L, await CountAsync("select count(*) from audit_log where data::text like $1", $"%{Password}%"));
    }

    [Fact]
    public async Task the_silo_executable_refuses_a_weak_password_with_exit_code_2_and_creates_nothing()
    {
        var result = await db.RunSiloAsync("short", "create-admin", "--email", "weak@example.test");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains("password", result.Error, StringComparison.Ordinal);
        Assert.Contains("too_short", result.Error, StringComparison.Ordinal);
        Assert.Equal(0L, await CountAsync("select count(*) from users where email = 'weak@example.test'"));
    }

    [Theory]
    [InlineData("password123456")] // in the common-password list
    [InlineData("common@example.test")] // the email itself
    public async Task a_common_password_or_the_email_as_password_is_refused(string password)
    {
        var (code, _, error) = await RunAsync("common@example.test", password);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("too_common", error, StringComparison.Ordinal);
        Assert.Equal(0L, await CountAsync("select count(*) from users where email = 'common@example.test'"));
    }

    [Theory]
    [InlineData("not-an-email")]
    [InlineData("")]
    public async Task a_bad_email_is_refused_before_the_password_is_read(string email)
    {
        var (code, _, error) = await RunAsync(email, password: null);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("email", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_missing_email_argument_prints_the_usage()
    {
        var (code, output, error) = await db.RunCliAsync(["create-admin"], Password);

        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal("", output);
        Assert.Contains("error: create-admin: missing option --email <address>", error, StringComparison.Ordinal);
        Assert.Contains("Usage: NeXChange.Silo create-admin --email <address>", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_existing_unverified_user_is_promoted_verified_and_granted_without_touching_the_password()
    {
        var draft = new UserRecord(Guid.CreateVersion7(), "member@example.test", "existing-hash", null, null, null, null, Roles.User,
            false, false, "unverified", "", Registered, null, null, null, Registered, Registered, null);
        var user = (await db.Get<UserStore>().InsertRegistrationAsync(draft, new VerificationToken(EmailTokens.Create().Hash, Registered.AddDays(1)), []))!;

        var (code, output, _) = await RunAsync("Member@Example.test", password: null);

        Assert.Equal(0, code);
        Assert.Contains("promoted from user to admin, email marked verified", output, StringComparison.Ordinal);
        var stored = (await db.Get<UserStore>().LoadAsync(user.Id))!;
        Assert.Equal((Roles.Admin, true, true, "existing-hash"), (stored.Role, stored.EmailVerified, stored.SignupGranted, stored.PasswordHash));
        Assert.Equal(10_000L, await CountAsync("select balance from ledger.accounts where owner_id = $1 and kind = 'USER_AVAILABLE'", user.Id));
        Assert.Equal(1L, await CountAsync("select count(*) from audit_log where entity_id = $1 and action = 'ROLE_CHANGED' and data->>'from' = 'user'", user.Id.ToString()));
        Assert.Equal(1L, await CountAsync("select count(*) from audit_log where entity_id = $1 and action = 'EMAIL_VERIFIED' and actor_id is null", user.Id.ToString()));
    }

    [Fact]
    public async Task promoting_an_account_ends_its_refresh_sessions_in_redis_with_no_cluster_running_and_keeps_other_users_sessions()
    {
        var draft = new UserRecord(Guid.CreateVersion7(), "signed.in@example.test", "existing-hash", null, null, null, null, Roles.User,
            true, false, "unverified", "", Registered, null, null, null, Registered, Registered, null);
        var user = (await db.Get<UserStore>().InsertRegistrationAsync(draft, null, []))!;
        var redis = db.Get<IConnectionMultiplexer>().GetDatabase();
        var (own, other, otherUser) = (Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("N"), Guid.NewGuid());
        // Two sessions laid out as the API writes them (RefreshSessions): the account's own and another user's.
        foreach (var (session, owner) in new[] { (own, user.Id), (other, otherUser) })
        {
            await redis.HashSetAsync(RefreshSessions.SessionKey(session), [new("userId", owner.ToString()), new("role", Roles.User)]);
            await redis.SetAddAsync(RefreshSessions.UsedKey(session), "retired-hash");
            await redis.SetAddAsync(RefreshSessions.UserKey(owner), session);
        }

        var (code, output, _) = await RunAsync("signed.in@example.test", password: null);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains("Its sessions were ended", output, StringComparison.Ordinal);
        Assert.Equal(Roles.Admin, (await db.Get<UserStore>().LoadAsync(user.Id))!.Role);
        Assert.Equal((false, false, 0L), (await redis.KeyExistsAsync(RefreshSessions.SessionKey(own)),
            await redis.KeyExistsAsync(RefreshSessions.UsedKey(own)), await redis.SetLengthAsync(RefreshSessions.UserKey(user.Id))));
        Assert.Equal((true, true, 1L), (await redis.KeyExistsAsync(RefreshSessions.SessionKey(other)),
            await redis.KeyExistsAsync(RefreshSessions.UsedKey(other)), await redis.SetLengthAsync(RefreshSessions.UserKey(otherUser))));
        await redis.KeyDeleteAsync([RefreshSessions.SessionKey(other), RefreshSessions.UsedKey(other), RefreshSessions.UserKey(otherUser)]);
    }

    [Fact]
    public async Task a_grant_left_unposted_by_an_interrupted_run_is_posted_by_the_next_run()
    {
        var (created, _, _) = await RunAsync("interrupted@example.test", Password);
        Assert.Equal(0, created);
        var id = await db.ScalarAsync<Guid>("select id from users where email = 'interrupted@example.test'");
        // As if the process died after posting the grant but before recording it on the user row.
        await db.ScalarAsync<object>("update users set signup_granted = false where id = $1", id);

        var (code, output, _) = await RunAsync("interrupted@example.test", password: null);

        Assert.Equal(0, code);
        Assert.Contains("signup grant already posted", output, StringComparison.Ordinal);
        Assert.True(await db.ScalarAsync<bool>("select signup_granted from users where id = $1", id));
        Assert.Equal(10_000L, await CountAsync("select balance from ledger.accounts where owner_id = $1 and kind = 'USER_AVAILABLE'", id));
    }
}
