using NeXChange.Credits;
using NeXChange.TestSupport;
using Npgsql;

namespace NeXChange.Grains.Tests.Credits;

/// <summary>
/// The database refuses what the grains should never attempt, without any application code in between. Each test
/// gets a database of its own (they count every row), dropped after the test whatever its outcome.
/// </summary>
public partial class DatabaseRefusalTests : IAsyncLifetime
{
    private string postgres = "";
    private NpgsqlDataSource dataSource = null!;

    public async Task InitializeAsync()
    {
        postgres = await TestEnvironment.CreateDatabaseAsync("ledgerdb");
        // As the owner: the runtime role is refused earlier by its grants (RuntimeRoleRefusalTests); these pin the
        // triggers, which hold even for a role that may write every table.
        dataSource = NpgsqlDataSource.Create(TestEnvironment.Owner(postgres));
    }

    public async Task DisposeAsync()
    {
        await dataSource.DisposeAsync();
        await TestEnvironment.DropDatabaseAsync(postgres);
    }

    private async Task<(Guid Available, Guid Escrow)> UserAsync()
    {
        var userId = Guid.CreateVersion7();
        await using var connection = await dataSource.OpenConnectionAsync();
        await LedgerAccounts.OpenUserAccountsAsync(connection, null, userId, CancellationToken.None);
        await LedgerAccounts.OpenUserAccountsAsync(connection, null, userId, CancellationToken.None); // idempotent
        await using var command = new NpgsqlCommand(
            "select (select id from ledger.accounts where owner_id = $1 and kind = 'USER_AVAILABLE'), (select id from ledger.accounts where owner_id = $1 and kind = 'USER_ESCROW')",
            connection);
        command.Parameters.Add(new() { Value = userId });
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetGuid(0), reader.GetGuid(1));
    }

    /// <summary>Inserts one transaction with the given entries in one database transaction and commits.</summary>
    private async Task<Guid> PostAsync(params (Guid Account, long Amount)[] entries)
    {
        var id = Guid.CreateVersion7();
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand(
            "insert into ledger.transactions (id, idempotency_key, request_hash, kind, created_at) values ($1, $2, 'h', 'admin_grant', now())",
            connection, tx))
        {
            insert.Parameters.Add(new() { Value = id });
            insert.Parameters.Add(new() { Value = id.ToString() });
            await insert.ExecuteNonQueryAsync();
        }
        foreach (var (account, amount) in entries)
        {
            await using var entry = new NpgsqlCommand(
                "insert into ledger.entries (transaction_id, account_id, amount, created_at) values ($1, $2, $3, now())", connection, tx);
            entry.Parameters.Add(new() { Value = id });
            entry.Parameters.Add(new() { Value = account });
            entry.Parameters.Add(new() { Value = amount });
            await entry.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
        return id;
    }

    private async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new() { Value = p });
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private async Task<string> RefusedStateAsync(string sql, params object[] parameters)
    {
        var refusal = await Assert.ThrowsAsync<PostgresException>(() => ScalarAsync<object>(sql, parameters));
        return refusal.SqlState;
    }

    [Fact]
    public async Task entries_keep_the_running_balance_and_stamp_balance_after()
    {
        var (user, _) = await UserAsync();
        await PostAsync((LedgerAccounts.SystemAccountId(AccountKind.Issuance, 0), -700), (user, 700));
        var tx = await PostAsync((LedgerAccounts.SystemAccountId(AccountKind.Issuance, 0), -300), (user, 300));

        Assert.Equal(1_000, await ScalarAsync<long>("select balance from ledger.accounts where id = $1", user));
        Assert.Equal(1_000, await ScalarAsync<long>("select balance_after from ledger.entries where transaction_id = $1 and account_id = $2", tx, user));
        Assert.Equal(0, await ScalarAsync<long>("select sum(balance)::bigint from ledger.accounts"));
    }

    [Fact]
    public async Task an_entry_that_overdraws_a_user_account_is_refused_with_NX001()
    {
        var (user, _) = await UserAsync();
        var (other, _) = await UserAsync();
        await PostAsync((LedgerAccounts.SystemAccountId(AccountKind.Issuance, 0), -100), (user, 100));

        var refusal = await Assert.ThrowsAsync<PostgresException>(() => PostAsync((user, -101), (other, 101)));

        Assert.Equal("NX001", refusal.SqlState);
        Assert.Equal(100, await ScalarAsync<long>("select balance from ledger.accounts where id = $1", user));
        Assert.Equal(0, await ScalarAsync<long>("select balance from ledger.accounts where id = $1", other));
    }

    [Fact]
    public async Task the_platform_fee_account_cannot_go_negative_either()
    {
        var (user, _) = await UserAsync();

        var refusal = await Assert.ThrowsAsync<PostgresException>(() => PostAsync((LedgerAccounts.SystemAccountId(AccountKind.PlatformFees, 0), -1), (user, 1)));

        Assert.Equal("NX001", refusal.SqlState);
    }

    [Fact]
    public async Task a_fee_shard_cannot_go_negative_while_the_fees_total_is_positive()
    {
        var (user, _) = await UserAsync();
        await PostAsync((LedgerAccounts.SystemAccountId(AccountKind.Issuance, 0), -500), (LedgerAccounts.SystemAccountId(AccountKind.PlatformFees, 1), 500));

        var refusal = await Assert.ThrowsAsync<PostgresException>(() => PostAsync((LedgerAccounts.SystemAccountId(AccountKind.PlatformFees, 2), -100), (user, 100)));

        Assert.Equal("NX001", refusal.SqlState);
        Assert.Equal(500, await ScalarAsync<long>("select sum(balance)::bigint from ledger.accounts where kind = 'PLATFORM_FEES'"));
        Assert.Equal(0, await ScalarAsync<long>("select balance from ledger.accounts where id = $1", user));
    }

    [Fact]
    public async Task each_system_kind_has_exactly_sixteen_shards_whose_first_keeps_the_original_id()
    {
        var ids = new List<(string Kind, int Shard, Guid Id)>();
        await using (var command = dataSource.CreateCommand("select kind, shard, id from ledger.accounts where owner_id is null order by kind, shard"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) ids.Add((reader.GetString(0), reader.GetInt16(1), reader.GetGuid(2)));
        }

        Assert.Equal(3 * 16, ids.Count);
        foreach (var kind in new[] { AccountKind.Issuance, AccountKind.PlatformFees, AccountKind.ConversionClearing })
            Assert.Equal(Enumerable.Range(0, 16).Select(s => (kind.ToDb(), s, LedgerAccounts.SystemAccountId(kind, s))),
                ids.Where(i => i.Kind == kind.ToDb()));
        // Migration 0002's single accounts are shard 0 of their kind.
        Assert.Contains(("ISSUANCE", 0, Guid.Parse("00000000-0000-7000-8000-000000000001")), ids);
        Assert.Contains(("PLATFORM_FEES", 0, Guid.Parse("00000000-0000-7000-8000-000000000002")), ids);
        Assert.Contains(("CONVERSION_CLEARING", 0, Guid.Parse("00000000-0000-7000-8000-000000000003")), ids);
    }

    [Fact]
    public async Task no_shard_can_be_added_duplicated_given_to_a_user_or_changed()
    {
        var (user, _) = await UserAsync();

        Assert.Equal("23514", await RefusedStateAsync("insert into ledger.accounts (id, kind, shard) values ($1, 'ISSUANCE', 16)", Guid.CreateVersion7()));
        Assert.Equal("23505", await RefusedStateAsync("insert into ledger.accounts (id, kind, shard) values ($1, 'PLATFORM_FEES', 3)", Guid.CreateVersion7()));
        Assert.Equal("23514", await RefusedStateAsync(
            "insert into ledger.accounts (id, kind, owner_id, shard) values ($1, 'USER_AVAILABLE', $2, 1)", Guid.CreateVersion7(), Guid.CreateVersion7()));
        Assert.Equal("NX003", await RefusedStateAsync("update ledger.accounts set shard = 5 where id = $1", LedgerAccounts.SystemAccountId(AccountKind.Issuance, 4)));
        Assert.Equal("NX003", await RefusedStateAsync("update ledger.accounts set shard = 1 where id = $1", user));
        Assert.Equal(48, await ScalarAsync<long>("select count(*) from ledger.accounts where owner_id is null"));
    }

    [Fact]
    public async Task an_unbalanced_transaction_is_refused_at_commit_with_NX002()
    {
        var (user, _) = await UserAsync();

        var unbalanced = await Assert.ThrowsAsync<PostgresException>(() => PostAsync((LedgerAccounts.SystemAccountId(AccountKind.Issuance, 0), -100), (user, 50)));
        var single = await Assert.ThrowsAsync<PostgresException>(() => PostAsync((LedgerAccounts.SystemAccountId(AccountKind.Issuance, 0), -100)));
        var empty = await Assert.ThrowsAsync<PostgresException>(() => PostAsync());

        Assert.Equal(["NX002", "NX002", "NX002"], new[] { unbalanced.SqlState, single.SqlState, empty.SqlState });
        Assert.Equal(0, await ScalarAsync<long>("select count(*) from ledger.transactions"));
        Assert.Equal(0, await ScalarAsync<long>("select balance from ledger.accounts where id = $1", user));
    }

    [Fact]
    public async Task an_entry_appended_later_to_a_committed_transaction_is_refused_even_when_it_unbalances_it()
    {
        var (user, _) = await UserAsync();
        var tx = await PostAsync((LedgerAccounts.SystemAccountId(AccountKind.Issuance, 0), -100), (user, 100));

        Assert.Equal("NX003", await RefusedStateAsync(
            "insert into ledger.entries (transaction_id, account_id, amount, created_at) values ($1, $2, 5, now())", tx, user));
        Assert.Equal(0, await ScalarAsync<long>("select sum(amount)::bigint from ledger.entries where transaction_id = $1", tx));
        Assert.Equal(100, await ScalarAsync<long>("select balance from ledger.accounts where id = $1", user));
    }

    [Fact]
    public async Task entries_and_transactions_are_insert_only()
    {
        var (user, _) = await UserAsync();
        var tx = await PostAsync((LedgerAccounts.SystemAccountId(AccountKind.Issuance, 0), -100), (user, 100));

        Assert.Equal("NX003", await RefusedStateAsync("update ledger.entries set amount = 1 where transaction_id = $1", tx));
        Assert.Equal("NX003", await RefusedStateAsync("delete from ledger.entries where transaction_id = $1", tx));
        Assert.Equal("NX003", await RefusedStateAsync("update ledger.transactions set memo = 'x' where id = $1", tx));
        Assert.Equal("NX003", await RefusedStateAsync("delete from ledger.transactions where id = $1", tx));
        Assert.Equal("NX003", await RefusedStateAsync("truncate ledger.entries, ledger.transactions"));
        Assert.Equal(2, await ScalarAsync<long>("select count(*) from ledger.entries where transaction_id = $1", tx));
    }

    [Fact]
    public async Task a_balance_cannot_be_written_except_through_entries()
    {
        var (user, _) = await UserAsync();

        Assert.Equal("NX003", await RefusedStateAsync("update ledger.accounts set balance = 1000 where id = $1", user));
        Assert.Equal("NX003", await RefusedStateAsync("delete from ledger.accounts where id = $1", user));
    }

    [Fact]
    public async Task a_hold_is_closed_once_from_open_and_never_deleted()
    {
        var (_, escrow) = await UserAsync();
        var trade = Guid.CreateVersion7();
        await ScalarAsync<object>(
            "insert into ledger.holds (trade_id, buyer_id, account_id, amount, fee, created_at) values ($1, $2, $3, 100, 0, now())",
            trade, Guid.CreateVersion7(), escrow);
        await ScalarAsync<object>("update ledger.holds set status = 'released', closed_at = now() where trade_id = $1", trade);

        Assert.Equal("NX004", await RefusedStateAsync("update ledger.holds set status = 'refunded' where trade_id = $1", trade));
        Assert.Equal("NX004", await RefusedStateAsync("update ledger.holds set status = 'open', closed_at = null where trade_id = $1", trade));
        Assert.Equal("NX004", await RefusedStateAsync("delete from ledger.holds where trade_id = $1", trade));
        Assert.Equal("released", await ScalarAsync<string>("select status from ledger.holds where trade_id = $1", trade));
    }
}
