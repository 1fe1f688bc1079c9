using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using NeXChange.Errors;
using NeXChange.Notifications;
using Npgsql;

namespace NeXChange.Credits;

/// <summary>
/// Group commit (DESIGN.md 3): postings from all the grains of a silo queue here and are written by a few loops, each
/// taking as many as are waiting (up to <see cref="MaxBatch"/>) into one database transaction with one commit, so the commit's flush to disk
/// is paid once per batch instead of once per posting. Plain postings (no hold, conversion or audit change) are written in
/// waves, one statement per table for many postings, all in one pipelined round trip (<see cref="PipelineAsync"/>); the
/// others one statement at a time under their own savepoint. A savepoint's deferred balance check (L1) runs before it is
/// released, so a refused posting (overdraft, limit, conflict, an unbalanced posting) is rolled back alone and its caller
/// gets its own refusal while the rest of the batch commits.
/// Idempotency, lock order and every database rule are those of <see cref="PostgresLedgerWriter"/>, which writes each
/// posting. If the commit itself fails, the batch is gone as a whole and each of its postings is written again on its
/// own (their keys make that safe), so one bad commit cannot fail callers whose postings were fine. A broken connection
/// fails the whole batch, as it would have failed each posting's own transaction. The queue is bounded: a full queue
/// makes callers wait. Batches form by themselves: whatever queued while the previous batch was being written.
/// </summary>
public sealed class GroupCommitLedgerWriter : ILedgerWriter, IAsyncDisposable
{
    public const int MaxBatch = 64;
    private const int QueueCapacity = 4_096;

    private readonly PostgresLedgerWriter writer;
    private readonly AccountDirectory accounts;
    private readonly NpgsqlDataSource dataSource;
    private readonly ILogger<GroupCommitLedgerWriter> logger;
    private readonly Channel<Pending> queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(QueueCapacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
    });
    private readonly Task[] loops;

    /// <param name="writers">
    /// Batches written at once, each on its own connection (default 1: two were slower here, see issue 12). Batches that share an account wait
    /// for each other at their first statement (the ordered lock), so a hot account makes them take turns.
    /// </param>
    public GroupCommitLedgerWriter(PostgresLedgerWriter writer, AccountDirectory accounts, NpgsqlDataSource dataSource,
        ILogger<GroupCommitLedgerWriter> logger, int writers = 1)
    {
        this.writer = writer;
        this.accounts = accounts;
        this.dataSource = dataSource;
        this.logger = logger;
        loops = Enumerable.Range(0, writers > 0 ? writers : Environment.ProcessorCount).Select(_ => Task.Run(RunAsync)).ToArray();
    }

    public async Task<PostResult> PostAsync(LedgerPosting posting, CancellationToken cancellationToken = default)
    {
        var pending = new Pending(posting, new TaskCompletionSource<PostResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        await queue.Writer.WriteAsync(pending, cancellationToken);
        return await pending.Done.Task;
    }

    public Task<PostResult?> FindAsync(LedgerPosting posting, CancellationToken cancellationToken = default) =>
        writer.FindAsync(posting, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await Task.WhenAll(loops);
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var pending)) batch.Add(pending);
            try
            {
                await WriteBatchAsync(batch);
            }
            catch (Exception e)
            {
                // The database could not be reached or the connection broke: every caller of the batch gets the error,
                // as it would have from its own transaction. Nothing of the batch is committed.
                foreach (var pending in batch) pending.Done.TrySetException(e);
            }
            batch.Clear();
        }
    }

    private async Task WriteBatchAsync(List<Pending> batch)
    {
        var outcomes = new List<(Pending Pending, PostResult Result)>(batch.Count);
        var again = new List<Pending>();
        var ids = await accounts.ResolveAsync(batch.SelectMany(p => p.Posting.Legs).Select(l => l.Account).Distinct());
        await using (var connection = await dataSource.OpenConnectionAsync())
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            // Every account of the batch, in id order, before any posting (migration 0025): no two batches deadlock.
            await using (var lockAll = new NpgsqlCommand(PostingStatements.LockAccountsSql, connection, transaction))
            {
                lockAll.Parameters.Add(new() { Value = ids.Values.ToArray() });
                await lockAll.ExecuteNonQueryAsync();
            }
            // Plain postings go in one round trip; those that change holds, conversions or the audit log run one by one.
            var plain = batch.Where(p => p.Posting is { Hold: null, Conversion: null, Audit: null }).ToList();
            await PipelineAsync(connection, transaction, plain, outcomes, again);
            foreach (var pending in batch.Except(plain))
            {
                await ExecuteAsync(connection, transaction, "savepoint posting");
                try
                {
                    var result = await writer.WriteAsync(connection, transaction, pending.Posting, CancellationToken.None);
                    // Runs this posting's deferred checks now, while it can still be rolled back alone.
                    await ExecuteAsync(connection, transaction, ReleaseSql);
                    outcomes.Add((pending, result));
                }
                catch (Exception e) when (e is DomainException or ArgumentException or PostgresException && !EndsSession(e))
                {
                    await ExecuteAsync(connection, transaction, "rollback to savepoint posting");
                    if (IsRetryable(e)) again.Add(pending);
                    else pending.Done.TrySetException(e);
                }
            }
            if (outcomes.Count > 0)
            {
                try
                {
                    await transaction.CommitAsync();
                }
                catch (PostgresException e)
                {
                    logger.LogWarning(e, "A group commit of {Count} postings failed; writing them one by one", outcomes.Count);
                    again.AddRange(outcomes.Select(o => o.Pending));
                    outcomes.Clear();
                }
            }
        }
        foreach (var (pending, result) in outcomes) pending.Done.TrySetResult(result);
        foreach (var pending in again) await WriteAloneAsync(pending);
    }

    /// <summary>
    /// Writes plain postings (transaction row, entries, notice) in waves (<see cref="PostingStatements.Waves"/>): a wave is
    /// one statement per table under its own savepoint with its deferred checks run before the release, and every wave
    /// goes in one pipelined round trip. The first statement to fail stops the round trip: the waves before it are
    /// written, its wave is rolled back to its savepoint, and the waves after it go in the next round trip. A failed wave
    /// of several postings is split into waves of one, so that only the posting at fault is refused (or written again
    /// after the batch when it lost a deadlock). Which wave failed is read from the database (the first with a key that
    /// is not stored), not from the error.
    /// </summary>
    private async Task PipelineAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<Pending> postings,
        List<(Pending Pending, PostResult Result)> outcomes, List<Pending> again)
    {
        var pendingOf = new Dictionary<PostgresLedgerWriter.Prepared, Pending>(ReferenceEqualityComparer.Instance);
        foreach (var pending in postings)
        {
            try
            {
                pendingOf.Add(await writer.PrepareAsync(pending.Posting, CancellationToken.None), pending);
            }
            catch (ArgumentException e)
            {
                pending.Done.TrySetException(e);
            }
        }
        var waves = PostingStatements.Waves(pendingOf.Keys);
        while (waves.Count > 0)
        {
            await using var statements = new NpgsqlBatch(connection, transaction);
            foreach (var wave in waves)
            {
                void Add(string sql, Action<NpgsqlParameterCollection>? parameters = null)
                {
                    var command = new NpgsqlBatchCommand(sql);
                    parameters?.Invoke(command.Parameters);
                    statements.BatchCommands.Add(command);
                }
                Add("savepoint wave");
                Add(PostingStatements.InsertTransactionsSql, p => PostingStatements.AddTransactionParameters(p, wave));
                Add(PostingStatements.InsertEntriesSql, p => PostingStatements.AddEntryParameters(p, wave));
                var notices = new NpgsqlBatchCommand(PostingStatements.InsertNoticesSql);
                if (PostingStatements.AddNoticeParameters(notices.Parameters, wave)) statements.BatchCommands.Add(notices);
                Add("set constraints all immediate");
                Add("set constraints all deferred");
                Add("release savepoint wave");
            }

            PostgresException? failure = null;
            try
            {
                await statements.ExecuteNonQueryAsync();
            }
            catch (PostgresException e) when (!EndsSession(e))
            {
                failure = e;
                await ExecuteAsync(connection, transaction, "rollback to savepoint wave");
            }
            // Which keys are stored, and by which transaction: this posting's own (written now), another's (a replay
            // or a conflict), or none (a posting of the wave that failed, the first such wave).
            var stored = await StoredKeysAsync(connection, transaction, waves.SelectMany(w => w).Select(p => p.Posting.IdempotencyKey));
            var written = failure is null ? waves.Count : waves.FindIndex(w => w.Any(p => !stored.ContainsKey(p.Posting.IdempotencyKey)));
            if (written < 0) throw failure!;
            await SettleAsync(connection, transaction, waves.Take(written).SelectMany(w => w).ToList(), stored, pendingOf, outcomes);

            var rest = waves.Skip(written + 1).ToList();
            if (failure is not null)
            {
                var failed = waves[written];
                if (failed.Count > 1) rest.InsertRange(0, failed.Select(p => new List<PostgresLedgerWriter.Prepared> { p }));
                else if (IsRetryable(failure)) again.Add(pendingOf[failed[0]]);
                else pendingOf[failed[0]].Done.TrySetException(await writer.RefusalAsync(failure, failed[0].Legs, CancellationToken.None));
            }
            waves = rest;
        }
    }

    /// <summary>The outcome of each written posting: its own new transaction, or the replay or conflict of a key stored before.</summary>
    private static async Task SettleAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, List<PostgresLedgerWriter.Prepared> written,
        Dictionary<string, Guid> stored, Dictionary<PostgresLedgerWriter.Prepared, Pending> pendingOf, List<(Pending Pending, PostResult Result)> outcomes)
    {
        var balances = await BalancesAfterAsync(connection, transaction, written.Select(p => p.TransactionId));
        foreach (var prepared in written)
        {
            var pending = pendingOf[prepared];
            if (stored[prepared.Posting.IdempotencyKey] == prepared.TransactionId)
            {
                outcomes.Add((pending, new PostResult(prepared.TransactionId, prepared.CreatedAt, Replayed: false,
                    balances.GetValueOrDefault(prepared.TransactionId) ?? new Dictionary<Guid, long>())));
                continue;
            }
            try
            {
                // The key existed: a replay (same request) or a conflict (another one); nothing was written.
                outcomes.Add((pending, await PostgresLedgerWriter.FindAsync(connection, prepared.Posting.IdempotencyKey, prepared.Hash, CancellationToken.None)
                    ?? throw new InvalidOperationException($"Ledger key {prepared.Posting.IdempotencyKey} conflicted but is not stored.")));
            }
            catch (DomainException e)
            {
                pending.Done.TrySetException(e);
            }
        }
    }

    private static async Task<Dictionary<string, Guid>> StoredKeysAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IEnumerable<string> keys)
    {
        var stored = new Dictionary<string, Guid>();
        await using var command = new NpgsqlCommand(
            "select idempotency_key, id from ledger.transactions where idempotency_key = any($1)", connection, transaction);
        command.Parameters.Add(new() { Value = keys.ToArray() });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) stored[reader.GetString(0)] = reader.GetGuid(1);
        return stored;
    }

    /// <summary>The balance after each entry of the given ledger transactions, by transaction and account.</summary>
    private static async Task<Dictionary<Guid, Dictionary<Guid, long>?>> BalancesAfterAsync(NpgsqlConnection connection, NpgsqlTransaction transaction,
        IEnumerable<Guid> transactionIds)
    {
        var result = new Dictionary<Guid, Dictionary<Guid, long>?>();
        await using var command = new NpgsqlCommand(
            "select transaction_id, account_id, balance_after from ledger.entries where transaction_id = any($1)", connection, transaction);
        command.Parameters.Add(new() { Value = transactionIds.ToArray() });
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var balances = result.GetValueOrDefault(reader.GetGuid(0)) ?? (result[reader.GetGuid(0)] = []);
            balances[reader.GetGuid(1)] = reader.GetInt64(2);
        }
        return result;
    }

    /// <summary>Lost a deadlock or a serialization conflict: not a refusal; the posting is written again after the batch.</summary>
    private static bool IsRetryable(Exception e) =>
        e is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };

    private async Task WriteAloneAsync(Pending pending)
    {
        try
        {
            pending.Done.TrySetResult(await writer.PostAsync(pending.Posting));
        }
        catch (Exception e)
        {
            pending.Done.TrySetException(e);
        }
    }

    /// <summary>
    /// An error that ended the connection with the statement (a server shutting down under a restart: FATAL 57P01):
    /// nothing can be rolled back to a savepoint, so it fails the whole batch, which is not committed either.
    /// </summary>
    private static bool EndsSession(Exception e) => e is PostgresException { InvariantSeverity: "FATAL" or "PANIC" };

    private const string ReleaseSql = "set constraints all immediate; set constraints all deferred; release savepoint posting";

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync();
    }

    private sealed record Pending(LedgerPosting Posting, TaskCompletionSource<PostResult> Done);
}
