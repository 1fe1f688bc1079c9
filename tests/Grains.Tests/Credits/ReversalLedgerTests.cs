using NeXChange.Credits;
using NeXChange.Errors;
using NeXChange.TestSupport;
using Npgsql;

namespace NeXChange.Grains.Tests.Credits;

/// <summary>
/// What the database itself promises about reversals (SPEC.md 2.4), as the runtime role and without a grain in between:
/// one reversal per transaction whatever the key, the link reserved to reversals, overdrafts refused.
/// </summary>
public class ReversalLedgerTests(LedgerDatabase db) : IClassFixture<LedgerDatabase>
{
    private const string UniqueViolation = "23505";
    private const string CheckViolation = "23514";

    private static ReversalOrder Order(Guid originalId, string key = "k1") =>
        new(Guid.CreateVersion7(), originalId, "Granted to the wrong account", key);

    /// <summary>A user granted <paramref name="grantMinor"/>; returns the user and the grant's transaction.</summary>
    private async Task<(Guid User, LedgerTransaction Grant)> GrantedAsync(long grantMinor)
    {
        var user = await db.UserAsync();
        var posted = await db.Writer.PostAsync(Movements.AdminGrant(user, new AdminGrant(Guid.CreateVersion7(), $"g-{user}", grantMinor, "test funding")));
        return (user, (await new LedgerReader(db.DataSource).GetTransactionAsync(posted.TransactionId))!);
    }

    /// <summary>A transaction row of <paramref name="kind"/> with the given key and link, balanced with no-op-free legs, in plain SQL.</summary>
    private async Task<string> RefusedInsertAsync(string kind, string key, Guid? reverses, Guid user)
    {
        var account = await db.AccountIdAsync(user);
        var refusal = await Assert.ThrowsAsync<PostgresException>(async () =>
        {
            await using var connection = await db.DataSource.OpenConnectionAsync();
            await using var tx = await connection.BeginTransactionAsync();
            var id = Guid.CreateVersion7();
            await using (var insert = new NpgsqlCommand("""
                insert into ledger.transactions (id, idempotency_key, request_hash, kind, created_at, reverses_transaction_id)
                values ($1, $2, 'h', $3, now(), $4)
                """, connection, tx))
            {
                insert.Parameters.Add(new() { Value = id });
                insert.Parameters.Add(new() { Value = key });
                insert.Parameters.Add(new() { Value = kind });
                insert.Parameters.Add(new() { Value = (object?)reverses ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid });
                await insert.ExecuteNonQueryAsync();
            }
            await using (var entries = new NpgsqlCommand(
                "insert into ledger.entries (transaction_id, account_id, amount, created_at) values ($1, $2, 1, now()), ($1, $3, -1, now())",
                connection, tx))
            {
                entries.Parameters.Add(new() { Value = id });
                entries.Parameters.Add(new() { Value = account });
                entries.Parameters.Add(new() { Value = LedgerAccounts.SystemAccountId(AccountKind.Issuance, 0) });
                await entries.ExecuteNonQueryAsync();
            }
            await tx.CommitAsync();
        });
        return refusal.SqlState;
    }

    [Fact]
    public async Task a_transaction_is_reversed_at_most_once_whatever_the_key()
    {
        var (user, grant) = await GrantedAsync(500);
        await db.Writer.PostAsync(Movements.Reversal(grant, user, Order(grant.Id)));
        var transactions = await Sql.ScalarAsync<long>(db.Postgres, "select count(*) from ledger.transactions");

        Assert.Equal(UniqueViolation, await RefusedInsertAsync("reversal", $"reversal:{grant.Id}", grant.Id, user));
        Assert.Equal(UniqueViolation, await RefusedInsertAsync("reversal", $"another-key:{grant.Id}", grant.Id, user));
        Assert.Equal(transactions, await Sql.ScalarAsync<long>(db.Postgres, "select count(*) from ledger.transactions"));
        Assert.Equal(0, await db.BalanceAsync(user));
        Assert.True((await db.ReconcileAsync()).Ok);
    }

    [Fact]
    public async Task the_reversal_link_belongs_to_reversals_only()
    {
        var (user, grant) = await GrantedAsync(500);

        Assert.Equal(CheckViolation, await RefusedInsertAsync("reversal", $"unlinked:{grant.Id}", null, user));
        Assert.Equal(CheckViolation, await RefusedInsertAsync("admin_grant", $"linked:{grant.Id}", grant.Id, user));
        Assert.Null(await Sql.ScalarAsync<Guid?>(db.Postgres, "select id from ledger.transactions where reverses_transaction_id = $1", grant.Id));
        Assert.True((await db.ReconcileAsync()).Ok);
    }

    [Fact]
    public async Task a_reversal_that_would_overdraw_is_refused_by_the_database()
    {
        var (user, grant) = await GrantedAsync(500);
        var other = await db.UserAsync();
        await db.Writer.PostAsync(Movements.Transfer(user, new TransferOrder(other, 200, null, "spend")));

        // The writer alone, with no grain to check the balance first: the entries trigger refuses (NX001).
        var refusal = await Assert.ThrowsAsync<DomainException>(() => db.Writer.PostAsync(Movements.Reversal(grant, user, Order(grant.Id))));

        Assert.Equal(ErrorCodes.InsufficientFunds, refusal.Code);
        Assert.Equal(300, await db.BalanceAsync(user));
        Assert.Null(await Sql.ScalarAsync<Guid?>(db.Postgres, "select id from ledger.transactions where idempotency_key = $1", $"reversal:{grant.Id}"));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(db.Postgres,
            "select count(*) from audit_log where action = 'LEDGER_REVERSAL' and entity_id = $1", grant.Id.ToString()));
        Assert.True((await db.ReconcileAsync()).Ok);
    }

    [Fact]
    public async Task the_reversal_negates_every_entry_and_commits_its_audit_row()
    {
        var (user, grant) = await GrantedAsync(500);
        var order = Order(grant.Id);
        var posted = await db.Writer.PostAsync(Movements.Reversal(grant, user, order));

        var reversal = (await new LedgerReader(db.DataSource).GetTransactionAsync(posted.TransactionId))!;
        Assert.Equal("reversal", reversal.Kind);
        Assert.Equal(grant.Id, reversal.ReversesTransactionId);
        Assert.Equal(order.AdminId, reversal.InitiatorId);
        Assert.Equal(order.Reason, reversal.Reason);
        Assert.Equal(
            grant.Entries.Select(l => (l.AccountKind, l.OwnerId, -l.AmountMinor)).Order(),
            reversal.Entries.Select(l => (l.AccountKind, l.OwnerId, l.AmountMinor)).Order());
        Assert.Equal(posted.TransactionId, (await new LedgerReader(db.DataSource).GetTransactionAsync(grant.Id))!.ReversedByTransactionId);
        Assert.Equal(1L, await Sql.ScalarAsync<long>(db.Postgres,
            "select count(*) from audit_log where action = 'LEDGER_REVERSAL' and entity_id = $1 and actor_id = $2 and data ->> 'kind' = 'admin_grant'",
            grant.Id.ToString(), order.AdminId));

        var replay = await db.Writer.PostAsync(Movements.Reversal(grant, user, order));
        Assert.True(replay.Replayed);
        Assert.Equal(posted.TransactionId, replay.TransactionId);
        var second = await Assert.ThrowsAsync<DomainException>(() => db.Writer.PostAsync(Movements.Reversal(grant, user, Order(grant.Id, "k2"))));
        Assert.Equal(ErrorCodes.IdempotencyConflict, second.Code);
        Assert.True((await db.ReconcileAsync()).Ok);
    }
}
