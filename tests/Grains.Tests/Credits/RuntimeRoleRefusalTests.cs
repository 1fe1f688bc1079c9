using NeXChange.Credits;
using NeXChange.TestSupport;
using Npgsql;

namespace NeXChange.Grains.Tests.Credits;

/// <summary>
/// What the runtime role (the silo's and API's database user) cannot do to the ledger in plain SQL, whatever the
/// application code does: the database is the last line (DESIGN.md 3).
/// </summary>
public class RuntimeRoleRefusalTests(LedgerDatabase db) : IClassFixture<LedgerDatabase>
{
    private const string InsufficientPrivilege = "42501";
    private const string LedgerRule = "NX003";

    private async Task<string> RefusedAsync(string connectionString, string sql, params object?[] parameters)
    {
        var refusal = await Assert.ThrowsAsync<PostgresException>(() => Sql.ExecuteAsync(connectionString, sql, parameters));
        return refusal.SqlState;
    }

    [Fact]
    public void the_fixture_connects_as_a_role_other_than_the_owner()
    {
        Assert.NotEqual(new NpgsqlConnectionStringBuilder(db.OwnerPostgres).Username, new NpgsqlConnectionStringBuilder(db.Postgres).Username);
    }

    [Theory]
    [InlineData("update ledger.entries set amount = amount * 2")]
    [InlineData("delete from ledger.entries")]
    [InlineData("truncate ledger.entries cascade")]
    [InlineData("update ledger.transactions set memo = 'rewritten'")]
    [InlineData("delete from ledger.transactions")]
    [InlineData("update ledger.accounts set balance = balance + 100")]
    [InlineData("delete from ledger.holds")]
    [InlineData("update ledger.outflow_limits set daily_minor = 9000000000")]
    [InlineData("delete from ledger.daily_outflow")]
    [InlineData("update audit_log set action = 'x'")]
    [InlineData("delete from audit_log")]
    [InlineData("truncate audit_log")]
    [InlineData("alter table ledger.entries disable trigger entries_apply")]
    [InlineData("alter table ledger.accounts disable trigger accounts_guard")]
    [InlineData("drop trigger entries_stamp on ledger.entries")]
    [InlineData("insert into ledger.entries (id, transaction_id, account_id, amount, balance_after, created_at) values (1, gen_random_uuid(), gen_random_uuid(), 1, 1, now())")]
    [InlineData("create table ledger.shadow (id int)")]
    [InlineData("create table public.shadow (id int)")]
    [InlineData("create or replace function ledger.apply_entries() returns trigger language plpgsql as $$ begin return new; end $$")]
    public async Task the_runtime_role_is_refused(string sql)
    {
        await db.UserAsync(500); // something to rewrite

        Assert.Equal(InsufficientPrivilege, await RefusedAsync(db.Postgres, sql));
    }

    [Fact]
    public async Task an_account_cannot_be_opened_with_a_balance()
    {
        var state = await RefusedAsync(db.Postgres,
            "insert into ledger.accounts (id, kind, owner_id, balance) values ($1, 'USER_AVAILABLE', $2, 500)", Guid.CreateVersion7(), Guid.CreateVersion7());

        Assert.Equal(LedgerRule, state);
    }

    [Fact]
    public async Task even_the_owner_cannot_set_a_balance_that_no_entry_explains()
    {
        var user = await db.UserAsync(500);

        var state = await RefusedAsync(db.OwnerPostgres,
            "update ledger.accounts set balance = balance + 1 where owner_id = $1 and kind = 'USER_AVAILABLE'", user);

        Assert.Equal(LedgerRule, state);
        Assert.Equal(500, await db.BalanceAsync(user));
    }

    [Fact]
    public async Task entries_cannot_be_appended_to_a_transaction_that_committed_earlier()
    {
        var user = await db.UserAsync(500);
        var original = await Sql.ScalarAsync<Guid>(db.Postgres, "select id from ledger.transactions where idempotency_key = $1", $"grant:admin:{Guid.Empty}:fund-{user}");

        // Balanced, so only the "closed transaction" rule can refuse it.
        var state = await RefusedAsync(db.Postgres, """
            insert into ledger.entries (transaction_id, account_id, amount, created_at)
            values ($1, '00000000-0000-7000-8000-000000000001', -5, now()), ($1, $2, 5, now())
            """, original, await db.AccountIdAsync(user));

        Assert.Equal(LedgerRule, state);
        Assert.Equal(500, await db.BalanceAsync(user));
        Assert.Equal(2L, await Sql.ScalarAsync<long>(db.Postgres, "select count(*) from ledger.entries where transaction_id = $1", original));
    }

    [Fact]
    public async Task an_entry_dropped_by_on_conflict_do_nothing_moves_no_balance()
    {
        var user = await db.UserAsync(700);
        var account = await db.AccountIdAsync(user);

        await using var connection = new NpgsqlConnection(db.Postgres);
        await connection.OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        var id = Guid.CreateVersion7();
        await ExecuteAsync(connection, tx,
            "insert into ledger.transactions (id, idempotency_key, request_hash, kind, created_at) values ($1, $2, 'h', 'admin_grant', now())",
            id, $"conflict-{id}");
        await ExecuteAsync(connection, tx, """
            insert into ledger.entries (transaction_id, account_id, amount, created_at)
            values ($1, '00000000-0000-7000-8000-000000000001', -300, now()), ($1, $2, 300, now())
            """, id, account);
        // The same leg again conflicts with the first and is skipped: it must leave the balance alone.
        var inserted = await ExecuteAsync(connection, tx,
            "insert into ledger.entries (transaction_id, account_id, amount, created_at) values ($1, $2, 300, now()) on conflict do nothing",
            id, account);
        await tx.CommitAsync();

        Assert.Equal(0, inserted);
        Assert.Equal(1_000, await db.BalanceAsync(user));
        Assert.True((await db.ReconcileAsync()).Ok);
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        foreach (var p in parameters) command.Parameters.Add(new() { Value = p });
        return await command.ExecuteNonQueryAsync();
    }
}
