using NeXChange.Credits;
using Npgsql;

namespace NeXChange.Grains.Tests.Credits;

/// <summary>
/// Entries that arrive with their balance_after already stamped, as the ledger writers send them (migration 0030): the
/// statement trigger recomputes every running balance from the locked accounts and applies them, or refuses the
/// statement whole. Written here in plain SQL, around the writers.
/// </summary>
public partial class DatabaseRefusalTests
{
    private static readonly Guid Issuance = LedgerAccounts.SystemAccountId(AccountKind.Issuance, 0);

    private sealed record Stamped(Guid Transaction, Guid Account, long Amount, long BalanceAfter);

    /// <summary>
    /// One ledger transaction row per id (of <paramref name="kind"/>), then every entry in one statement with the given
    /// stamps, in one database transaction that commits (so the deferred balance check runs too).
    /// </summary>
    private async Task InsertStampedAsync(string kind, IReadOnlyList<Guid> transactions, params Stamped[] entries)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await using (var rows = new NpgsqlCommand("""
            insert into ledger.transactions (id, idempotency_key, request_hash, kind, created_at)
            select id, id::text, 'h', $2, now() from unnest($1::uuid[]) as t (id)
            """, connection, tx))
        {
            rows.Parameters.Add(new() { Value = transactions.ToArray() });
            rows.Parameters.Add(new() { Value = kind });
            await rows.ExecuteNonQueryAsync();
        }
        await using (var legs = new NpgsqlCommand("""
            insert into ledger.entries (transaction_id, account_id, amount, balance_after, created_at)
            select e.transaction_id, e.account_id, e.amount, e.balance_after, now()
            from unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::bigint[]) with ordinality as e (transaction_id, account_id, amount, balance_after, position)
            order by e.position
            """, connection, tx))
        {
            legs.Parameters.Add(new() { Value = entries.Select(e => e.Transaction).ToArray() });
            legs.Parameters.Add(new() { Value = entries.Select(e => e.Account).ToArray() });
            legs.Parameters.Add(new() { Value = entries.Select(e => e.Amount).ToArray() });
            legs.Parameters.Add(new() { Value = entries.Select(e => e.BalanceAfter).ToArray() });
            await legs.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
    }

    private async Task<PostgresException> RefusedStampsAsync(string kind, IReadOnlyList<Guid> transactions, params Stamped[] entries) =>
        await Assert.ThrowsAsync<PostgresException>(() => InsertStampedAsync(kind, transactions, entries));

    private Task<long> BalanceAsync(Guid account) => ScalarAsync<long>("select balance from ledger.accounts where id = $1", account);

    private async Task<(Guid User, long IssuanceBalance)> FundedAsync(long amount)
    {
        var (user, _) = await UserAsync();
        await PostAsync((Issuance, -amount), (user, amount));
        return (user, await BalanceAsync(Issuance));
    }

    [Fact]
    public async Task several_entries_of_one_account_in_one_statement_apply_in_id_order()
    {
        var (user, issued) = await FundedAsync(100);
        Guid first = Guid.CreateVersion7(), second = Guid.CreateVersion7();

        await InsertStampedAsync("admin_grant", [first, second],
            new(first, Issuance, -10, issued - 10), new(first, user, 10, 110),
            new(second, Issuance, -20, issued - 30), new(second, user, 20, 130));

        Assert.Equal(130, await BalanceAsync(user));
        Assert.Equal(issued - 30, await BalanceAsync(Issuance));
        Assert.Equal(130, await ScalarAsync<long>("select balance_after from ledger.entries where account_id = $1 order by id desc limit 1", user));
        Assert.Equal(110, await ScalarAsync<long>("select balance_after from ledger.entries where transaction_id = $1 and account_id = $2", first, user));
        Assert.Equal(0, await ScalarAsync<long>("select sum(balance)::bigint from ledger.accounts"));
    }

    [Fact]
    public async Task a_forged_balance_after_is_refused_with_NX003()
    {
        var (user, issued) = await FundedAsync(100);
        var grant = Guid.CreateVersion7();

        var refusal = await RefusedStampsAsync("admin_grant", [grant], new(grant, Issuance, -50, issued - 50), new(grant, user, 50, 1_000));

        Assert.Equal("NX003", refusal.SqlState);
        Assert.Equal(100, await BalanceAsync(user));
        Assert.Equal(0L, await ScalarAsync<long>("select count(*) from ledger.transactions where id = $1", grant));
    }

    [Fact]
    public async Task a_stamp_read_before_another_posting_moved_the_balance_is_refused_with_NX003()
    {
        var (user, _) = await FundedAsync(100);
        var seen = await BalanceAsync(user);
        await PostAsync((Issuance, -30), (user, 30));
        var issued = await BalanceAsync(Issuance);
        var grant = Guid.CreateVersion7();

        var refusal = await RefusedStampsAsync("admin_grant", [grant], new(grant, Issuance, -50, issued - 50), new(grant, user, 50, seen + 50));

        Assert.Equal("NX003", refusal.SqlState);
        Assert.Equal(130, await BalanceAsync(user));
    }

    [Fact]
    public async Task a_stamped_overdraft_is_refused_with_NX001_even_when_an_earlier_entry_of_the_statement_fits()
    {
        var (user, _) = await FundedAsync(100);
        var (other, _) = await UserAsync();
        Guid first = Guid.CreateVersion7(), second = Guid.CreateVersion7();

        var refusal = await RefusedStampsAsync("transfer", [first, second],
            new(first, user, -60, 40), new(first, other, 60, 60),
            new(second, user, -60, -20), new(second, other, 60, 120));

        Assert.Equal("NX001", refusal.SqlState);
        Assert.Equal(100, await BalanceAsync(user));
        Assert.Equal(0, await BalanceAsync(other));
    }

    [Fact]
    public async Task a_stamped_entry_appended_to_a_committed_transaction_is_refused_with_NX003()
    {
        var (user, escrow) = await UserAsync();
        var grant = await PostAsync((Issuance, -100), (user, 100));
        var shard = LedgerAccounts.SystemAccountId(AccountKind.Issuance, 1);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var append = new NpgsqlCommand("""
            insert into ledger.entries (transaction_id, account_id, amount, balance_after, created_at)
            values ($1, $2, -5, (select balance - 5 from ledger.accounts where id = $2), now()), ($1, $3, 5, 5, now())
            """, connection);
        append.Parameters.Add(new() { Value = grant });
        append.Parameters.Add(new() { Value = shard });
        append.Parameters.Add(new() { Value = escrow });

        var refusal = await Assert.ThrowsAsync<PostgresException>(() => append.ExecuteNonQueryAsync());

        Assert.Equal("NX003", refusal.SqlState);
        Assert.Equal(0, await BalanceAsync(escrow));
        Assert.Equal(2L, await ScalarAsync<long>("select count(*) from ledger.entries where transaction_id = $1", grant));
    }

    [Fact]
    public async Task the_daily_outflow_count_adds_up_every_entry_of_a_statement()
    {
        var limit = await ScalarAsync<int>("select daily_count from ledger.outflow_limits");
        var (user, _) = await FundedAsync(10_000);
        var (other, _) = await UserAsync();
        var transfers = Enumerable.Range(0, limit + 1).Select(_ => Guid.CreateVersion7()).ToList();

        var refusal = await RefusedStampsAsync("transfer", transfers, transfers.SelectMany((t, i) => new Stamped[]
        {
            new(t, user, -1, 10_000 - (i + 1)), new(t, other, 1, i + 1),
        }).ToArray());

        Assert.Equal("NX005", refusal.SqlState);
        Assert.Equal($"daily_outflow_count {limit} {limit}", refusal.MessageText);
        Assert.Equal(0L, await ScalarAsync<long>("select count(*) from ledger.daily_outflow"));
        Assert.Equal(10_000, await BalanceAsync(user));
    }
}
