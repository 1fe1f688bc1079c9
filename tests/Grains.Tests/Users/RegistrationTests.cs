using NeXChange.Errors;
using NeXChange.Users;

namespace NeXChange.Grains.Tests.Users;

public sealed class RegistrationTests(UsersCluster cluster) : IClassFixture<UsersCluster>
{
    [Fact]
    public async Task registering_creates_the_user_and_its_two_ledger_accounts()
    {
        var (id, me) = await cluster.RegisterAsync("  Reg.One@Example.com ");

        Assert.Equal("reg.one@example.com", me.Email);
        Assert.Equal((Roles.User, false, "unverified"), (me.Role, me.EmailVerified, me.VerificationStatus));
        Assert.Equal(("1990-05-01", "60601", "Chicago"), (me.DateOfBirth, me.ZipCode, me.City));
        Assert.Equal(id, me.Public.Id);
        Assert.Equal("reg.one@example.com", await cluster.ScalarAsync<string>("select email from users where id = $1", id));
        Assert.Equal("USER_AVAILABLE,USER_ESCROW", await cluster.ScalarAsync<string>(
            "select string_agg(kind, ',' order by kind) from ledger.accounts where owner_id = $1", id));
        Assert.Equal("41.89,-87.62", await cluster.ScalarAsync<string>("select area_lat || ',' || area_lng from users where id = $1", id));
        Assert.Equal(1L, await cluster.ScalarAsync<long>(
            "select count(*) from audit_log where action = 'USER_REGISTERED' and entity_id = $1", id.ToString()));
    }

    [Fact]
    public async Task the_password_is_stored_as_an_identity_v3_hash()
    {
        var (id, _) = await cluster.RegisterAsync("reg.hash@example.com");
        var hash = await cluster.ScalarAsync<string>("select password_hash from users where id = $1", id);
        Assert.Equal(0x01, Convert.FromBase64String(hash!)[0]);
        Assert.DoesNotContain(UsersCluster.Password, hash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_second_account_with_the_same_email_in_another_case_is_email_taken()
    {
        await cluster.RegisterAsync("reg.dup@example.com");

        var e = await Assert.ThrowsAsync<DomainException>(() => cluster.RegisterAsync(" REG.Dup@Example.COM"));

        Assert.Equal(ErrorCodes.EmailTaken, e.Code);
        Assert.Equal(1L, await cluster.ScalarAsync<long>("select count(*) from users where lower(email) = 'reg.dup@example.com'"));
    }

    [Fact]
    public async Task invalid_fields_are_all_reported_at_once_and_nothing_is_created()
    {
        var id = Guid.CreateVersion7();

        var e = await Assert.ThrowsAsync<DomainException>(() => cluster.Grains.GetGrain<IUserGrain>(id)
            .Register(new Registration("not-an-email", "password1234", "2099-01-01", "00000", "C")));

        Assert.Equal(ErrorCodes.ValidationFailed, e.Code);
        Assert.Equal(
            ["city:too_short", "dateOfBirth:too_young", "email:invalid_format", "password:too_common", "zipCode:unknown_zip"],
            e.Errors.Select(f => $"{f.Field}:{f.Code}").Order(StringComparer.Ordinal));
        Assert.Equal(0L, await cluster.ScalarAsync<long>("select count(*) from users where id = $1", id));
        Assert.Equal(0L, await cluster.ScalarAsync<long>("select count(*) from ledger.accounts where owner_id = $1", id));
    }

    [Fact]
    public async Task registration_mails_one_verification_link_with_the_token_on_its_own_line()
    {
        await cluster.RegisterAsync("reg.mail@example.com");

        var token = Assert.Single(await cluster.TokensMailedToAsync("reg.mail@example.com"));
        Assert.Matches("^[A-Za-z0-9_-]{43}$", token);
        Assert.Equal(1L, await cluster.ScalarAsync<long>(
            "select count(*) from email_tokens where token_hash = $1", EmailTokens.Hash(token)));
        Assert.Equal(0L, await cluster.ScalarAsync<long>("select count(*) from email_tokens where token_hash = $1", token));
    }

    [Fact]
    public async Task display_names_are_unique_and_well_formed_across_many_registrations()
    {
        var registered = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => cluster.RegisterAsync($"names{i}@example.com")));

        var names = registered.Select(r => r.Me.Public.DisplayName).ToList();
        Assert.All(names, n => Assert.Matches(DisplayNames.Pattern(), n));
        Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.Equal(40L, await cluster.ScalarAsync<long>(
            "select count(distinct lower(name)) from display_names where name = any($1)", (object)names.ToArray()));
    }

    [Fact]
    public async Task a_display_name_once_held_cannot_be_recorded_for_another_user()
    {
        var (_, me) = await cluster.RegisterAsync("names.history@example.com");
        var (other, _) = await cluster.RegisterAsync("names.other@example.com");

        var e = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => cluster.ScalarAsync<int>(
            "insert into display_names (name, user_id, assigned_at) values ($1, $2, now())", me.Public.DisplayName.ToUpperInvariant(), other));
        Assert.Equal("display_names_name_unique", e.ConstraintName);
    }

    [Fact]
    public async Task a_taken_display_name_rolls_the_registration_back_so_another_name_can_be_drawn()
    {
        var (_, me) = await cluster.RegisterAsync("names.collide@example.com");
        var store = (UserStore)cluster.SiloServices().GetService(typeof(UserStore))!;
        var now = cluster.Clock.GetUtcNow();
        var id = Guid.CreateVersion7();
        var clash = new UserRecord(id, "names.collide.2@example.com", null, null, null, null, null, Roles.User, false, false,
            "unverified", me.Public.DisplayName.ToLowerInvariant(), now, null, null, null, now, now, null);

        Assert.False(await store.TryInsertRegistrationAsync(clash, new VerificationToken(EmailTokens.Create().Hash, now.AddDays(1)), []));

        Assert.Equal(0L, await cluster.ScalarAsync<long>("select count(*) from users where id = $1", id));
        Assert.Equal(0L, await cluster.ScalarAsync<long>("select count(*) from ledger.accounts where owner_id = $1", id));
        Assert.True(await store.TryInsertRegistrationAsync(clash with { DisplayName = "UniqueTester_1234" }, new VerificationToken(EmailTokens.Create().Hash, now.AddDays(1)), []));
    }

    [Fact]
    public async Task the_same_user_id_cannot_register_twice()
    {
        var (id, _) = await cluster.RegisterAsync("reg.twice@example.com");

        var e = await Assert.ThrowsAsync<DomainException>(() =>
            cluster.Grains.GetGrain<IUserGrain>(id).Register(UsersCluster.Registration("reg.twice.2@example.com")));

        Assert.Equal(ErrorCodes.InvalidTransition, e.Code);
    }
}
