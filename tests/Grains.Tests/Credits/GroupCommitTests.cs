using Microsoft.Extensions.Logging.Abstractions;
using NeXChange.Credits;
using NeXChange.Errors;
using NeXChange.TestSupport;
using Npgsql;

namespace NeXChange.Grains.Tests.Credits;

/// <summary>
/// The group commit writer against the real database: postings that queued together share one database transaction,
/// and each keeps its own outcome (a refusal, a replay) without failing the others.
/// </summary>
public sealed class GroupCommitTests(LedgerDatabase db) : IClassFixture<LedgerDatabase>
{
    private GroupCommitLedgerWriter NewWriter() =>
        new(db.Writer, new AccountDirectory(db.DataSource), db.DataSource, NullLogger<GroupCommitLedgerWriter>.Instance, writers: 1);

    private static LedgerPosting Transfer(Guid from, Guid to, long amount, string key) =>
        Movements.Transfer(from, new TransferOrder(to, amount, null, key));

    private async Task<List<Guid>> UsersAsync(int count, long grantMinor)
    {
        var users = new List<Guid>();
        for (var i = 0; i < count; i++) users.Add(await db.UserAsync(grantMinor));
        return users;
    }

    /// <summary>The database transaction that wrote each ledger transaction (migration 0010's written_by).</summary>
    private async Task<List<string>> WrittenByAsync(IEnumerable<Guid> transactionIds)
    {
        var writers = new List<string>();
        foreach (var id in transactionIds)
            writers.Add((await Sql.ScalarAsync<string>(db.Postgres, "select written_by::text from ledger.transactions where id = $1", id))!);
        return writers;
    }

    /// <summary>
    /// Holds the row lock of <paramref name="user"/>'s available account from another session, posts
    /// <paramref name="opener"/> (whose batch then waits for that lock) and returns once it waits: whatever is posted
    /// next queues behind that batch until <see cref="BlockedBatch.ReleaseAsync"/>.
    /// </summary>
    private async Task<BlockedBatch> BlockBatchAsync(GroupCommitLedgerWriter writer, Guid user, LedgerPosting opener)
    {
        var connection = new NpgsqlConnection(db.OwnerPostgres);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand("select 1 from ledger.accounts where id = $1 for update", connection, transaction))
        {
            lockRow.Parameters.Add(new() { Value = await db.AccountIdAsync(user) });
            await lockRow.ExecuteNonQueryAsync();
        }
        var first = writer.PostAsync(opener);
        await Polling.UntilAsync(() => Sql.ScalarAsync<long>(db.OwnerPostgres,
                "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()"),
            waiting => waiting > 0, "the batch waiting for the lock");
        return new BlockedBatch(connection, transaction, first);
    }

    private sealed record BlockedBatch(NpgsqlConnection Connection, NpgsqlTransaction Transaction, Task<PostResult> First)
    {
        /// <summary>Lets the blocked batch go on and returns its posting's result.</summary>
        public async Task<PostResult> ReleaseAsync()
        {
            await Transaction.CommitAsync();
            await Connection.DisposeAsync();
            return await First;
        }
    }

    [Fact]
    public async Task postings_queued_behind_a_batch_commit_together_and_a_refused_one_fails_alone()
    {
        await using var writer = NewWriter();
        var hot = await db.UserAsync(1_000);
        var senders = await UsersAsync(10, grantMinor: 500);
        var recipient = await db.UserAsync();

        var blocked = await BlockBatchAsync(writer, hot, Transfer(hot, recipient, 100, "first"));
        var queued = senders.Select((s, i) => writer.PostAsync(Transfer(s, recipient, i == 3 ? 501 : 200, $"queued-{i}"))).ToList();
        await blocked.ReleaseAsync();

        var refused = await Assert.ThrowsAsync<DomainException>(() => queued[3]);
        Assert.Equal(ErrorCodes.InsufficientFunds, refused.Code);
        var posted = new List<PostResult>();
        foreach (var task in queued.Where((_, i) => i != 3)) posted.Add(await task);
        Assert.Single((await WrittenByAsync(posted.Select(p => p.TransactionId))).Distinct());
        Assert.Equal(500, await db.BalanceAsync(senders[3]));
        Assert.Equal(100 + 9 * 200, await db.BalanceAsync(recipient));
        Assert.True((await db.ReconcileAsync()).Ok);
    }

    [Fact]
    public async Task a_refused_posting_in_a_wave_of_unrelated_postings_fails_alone_and_the_others_commit_together()
    {
        // Ten transfers between ten separate pairs share no account: one wave, one statement per table. The overdraft
        // makes that statement fail; the wave is written again posting by posting so only the overdraft is refused.
        await using var writer = NewWriter();
        var opener = await db.UserAsync(100);
        var pairs = new List<(Guid From, Guid To)>();
        for (var i = 0; i < 10; i++) pairs.Add((await db.UserAsync(500), await db.UserAsync()));

        var blocked = await BlockBatchAsync(writer, opener, Transfer(opener, await db.UserAsync(), 1, "wave-opener"));
        var queued = pairs.Select((p, i) => writer.PostAsync(Transfer(p.From, p.To, i == 6 ? 501 : 200 + i, $"wave-{i}"))).ToList();
        await blocked.ReleaseAsync();

        Assert.Equal(ErrorCodes.InsufficientFunds, (await Assert.ThrowsAsync<DomainException>(() => queued[6])).Code);
        var posted = new List<PostResult>();
        foreach (var task in queued.Where((_, i) => i != 6)) posted.Add(await task);
        Assert.Single((await WrittenByAsync(posted.Select(p => p.TransactionId))).Distinct());
        for (var i = 0; i < pairs.Count; i++)
        {
            var moved = i == 6 ? 0 : 200 + i;
            Assert.Equal((500 - moved, (long)moved), (await db.BalanceAsync(pairs[i].From), await db.BalanceAsync(pairs[i].To)));
        }
        Assert.Equal(0L, await Sql.ScalarAsync<long>(db.Postgres, "select count(*) from ledger.transactions where idempotency_key like '%wave-6'"));
        Assert.True((await db.ReconcileAsync()).Ok);
    }

    [Fact]
    public async Task transfers_that_share_one_account_go_in_one_wave_with_running_balances_and_an_overdraft_among_them_fails_alone()
    {
        // Eight senders pay one hot recipient, who pays two of them back: all ten touch the hot account, in one wave
        // (migration 0030 applies an account several times per statement). The third payback overdraws the hot account.
        await using var writer = NewWriter();
        var hot = await db.UserAsync(100);
        var senders = await UsersAsync(8, grantMinor: 500);
        var blocked = await BlockBatchAsync(writer, hot, Transfer(hot, await db.UserAsync(), 1, "hot-opener"));
        var paid = senders.Select((s, i) => writer.PostAsync(Transfer(s, hot, 100 + i, $"hot-in-{i}"))).ToList();
        var back = new[] { 500L, 400L, 10_000L }.Select((amount, i) => writer.PostAsync(Transfer(hot, senders[i], amount, $"hot-out-{i}"))).ToList();
        await blocked.ReleaseAsync();

        Assert.Equal(ErrorCodes.InsufficientFunds, (await Assert.ThrowsAsync<DomainException>(() => back[2])).Code);
        var posted = new List<PostResult>();
        foreach (var task in paid.Concat(back.Take(2))) posted.Add(await task);
        Assert.Single((await WrittenByAsync(posted.Select(p => p.TransactionId))).Distinct());
        // 100, less the opener's 1, plus 100..107 in, less 500 and 400 out.
        var expected = 100 - 1 + Enumerable.Range(0, 8).Sum(i => 100 + i) - 500 - 400;
        Assert.Equal(expected, await db.BalanceAsync(hot));
        Assert.Equal(500 - 100 + 500, await db.BalanceAsync(senders[0]));
        Assert.Equal(expected, await Sql.ScalarAsync<long>(db.Postgres, """
            select e.balance_after from ledger.entries e join ledger.accounts a on a.id = e.account_id
            where a.owner_id = $1 and a.kind = 'USER_AVAILABLE' order by e.id desc limit 1
            """, hot));
        Assert.True((await db.ReconcileAsync()).Ok);
    }

    [Fact]
    public async Task the_same_key_twice_in_one_batch_is_one_transaction_and_a_replay_and_another_payload_conflicts()
    {
        await using var writer = NewWriter();
        var sender = await db.UserAsync(1_000);
        var recipient = await db.UserAsync();
        var blocked = await BlockBatchAsync(writer, sender, Transfer(sender, recipient, 1, "opener"));
        var once = writer.PostAsync(Transfer(sender, recipient, 300, "twice"));
        var again = writer.PostAsync(Transfer(sender, recipient, 300, "twice"));
        var other = writer.PostAsync(Transfer(sender, recipient, 301, "twice"));
        await blocked.ReleaseAsync();

        var (a, b) = (await once, await again);
        Assert.Equal(a.TransactionId, b.TransactionId);
        Assert.Equal((false, true), (a.Replayed, b.Replayed));
        Assert.Equal(ErrorCodes.IdempotencyConflict, (await Assert.ThrowsAsync<DomainException>(() => other)).Code);
        Assert.Equal(1_000 - 301, await db.BalanceAsync(sender));
    }

    [Fact]
    public async Task an_unbalanced_posting_is_refused_by_the_database_without_failing_its_batch()
    {
        await using var writer = NewWriter();
        var sender = await db.UserAsync(1_000);
        var recipient = await db.UserAsync();
        var blocked = await BlockBatchAsync(writer, sender, Transfer(sender, recipient, 1, "opener-2"));
        var unbalanced = writer.PostAsync(new LedgerPosting(MovementKinds.Transfer, "invents-money",
            [new LedgerLeg(AccountRef.Available(sender), -10), new LedgerLeg(AccountRef.Available(recipient), 20)]));
        var fine = writer.PostAsync(Transfer(sender, recipient, 50, "fine"));
        await blocked.ReleaseAsync();

        Assert.Equal("NX002", (await Assert.ThrowsAsync<PostgresException>(() => unbalanced)).SqlState);
        await fine;
        Assert.Equal(0L, await Sql.ScalarAsync<long>(db.Postgres, "select count(*) from ledger.transactions where idempotency_key = 'invents-money'"));
        Assert.Equal(51, await db.BalanceAsync(recipient));
        Assert.True((await db.ReconcileAsync()).Ok);
    }

    /// <summary>
    /// Holds <paramref name="holdSql"/>'s lock from another session, posts a transfer of 10 with <paramref name="key"/>
    /// (its batch then waits for that lock), applies <paramref name="signal"/> (pg_cancel_backend or pg_terminate_backend)
    /// to the waiting session and returns the error the caller got, once nothing of it is stored.
    /// </summary>
    private async Task<PostgresException> InterruptedWhileWaitingAsync(string holdSql, Guid sender, string key, string signal)
    {
        await using var writer = NewWriter();
        await using var blocker = new NpgsqlConnection(db.OwnerPostgres);
        await blocker.OpenAsync();
        await using var holding = await blocker.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand(holdSql, blocker, holding))
        {
            if (holdSql.Contains("$1", StringComparison.Ordinal)) hold.Parameters.Add(new() { Value = await db.AccountIdAsync(sender) });
            await hold.ExecuteNonQueryAsync();
        }
        var posted = writer.PostAsync(Transfer(sender, await db.UserAsync(), 10, key));
        await Polling.UntilAsync(() => Sql.ScalarAsync<long>(db.OwnerPostgres, $"""
                select count(*) filter (where {signal}(pid)) from pg_stat_activity
                where wait_event_type = 'Lock' and datname = current_database() and pid <> pg_backend_pid()
                """),
            signalled => signalled > 0, $"{signal} reached the batch while it waits");
        var error = await Assert.ThrowsAsync<PostgresException>(() => posted);
        await holding.RollbackAsync();
        Assert.Equal(0L, await Sql.ScalarAsync<long>(db.Postgres, "select count(*) from ledger.transactions where idempotency_key like $1", $"%{key}%"));
        return error;
    }

    [Fact]
    public async Task a_batch_whose_account_lock_is_cancelled_fails_whole_with_that_error()
    {
        // The lock of the batch's accounts comes before any wave. When it fails (here: cancelled while it waits), the
        // callers get the lock's own error and nothing is written.
        var sender = await db.UserAsync(grantMinor: 100);

        var error = await InterruptedWhileWaitingAsync("select 1 from ledger.accounts where id = $1 for update", sender, "cancelled-lock", "pg_cancel_backend");

        Assert.Equal(PostgresErrorCodes.QueryCanceled, error.SqlState);
        Assert.Equal(100, await db.BalanceAsync(sender));
    }

    [Fact]
    public async Task a_batch_whose_connection_the_server_ends_fails_with_the_store_error()
    {
        // What a PostgreSQL restart does to a batch in flight: its session ends (FATAL 57P01) in the middle of the
        // pipelined statements. The callers get that store error (service_unavailable at the grain), never an
        // InvalidOperationException from rolling back to a savepoint on the dead connection (an internal_error).
        var sender = await db.UserAsync(grantMinor: 100);

        var error = await InterruptedWhileWaitingAsync("lock table ledger.transactions in share mode", sender, "ended-session", "pg_terminate_backend");

        Assert.Equal(PostgresErrorCodes.AdminShutdown, error.SqlState);
    }
}
