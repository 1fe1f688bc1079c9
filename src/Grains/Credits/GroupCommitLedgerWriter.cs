using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using NeXChange.Errors;
using Npgsql;

namespace NeXChange.Credits;

/// <summary>
/// Group commit (DESIGN.md 3): postings from all the grains of a silo queue here and are written by a few loops, each
/// taking as many as are waiting (up to <see cref="MaxBatch"/>) into one database transaction with one commit, so the commit's flush to disk
/// is paid once per batch instead of once per posting. Each posting runs under its own savepoint and has the deferred
/// balance check (L1) run before the savepoint is released, so a refused posting (overdraft, limit, conflict, an
/// unbalanced posting) is rolled back alone and its caller gets its own refusal while the rest of the batch commits.
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
            await using (var lockAll = new NpgsqlCommand("select ledger.lock_accounts($1)", connection, transaction))
            {
                lockAll.Parameters.Add(new() { Value = ids.Values.ToArray() });
                await lockAll.ExecuteNonQueryAsync();
            }
            foreach (var pending in batch)
            {
                await ExecuteAsync(connection, transaction, "savepoint posting");
                try
                {
                    var result = await writer.WriteAsync(connection, transaction, pending.Posting, CancellationToken.None);
                    // Runs this posting's deferred checks now, while it can still be rolled back alone.
                    await ExecuteAsync(connection, transaction, "set constraints all immediate; set constraints all deferred; release savepoint posting");
                    outcomes.Add((pending, result));
                }
                catch (Exception e) when (e is DomainException or ArgumentException or PostgresException)
                {
                    await ExecuteAsync(connection, transaction, "rollback to savepoint posting");
                    // A wait on another transaction's row that is not an account (the same key posted from two silos at
                    // once) can still end in a deadlock: the posting is not refused, it is written again after this batch.
                    if (e is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure })
                        again.Add(pending);
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

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync();
    }

    private sealed record Pending(LedgerPosting Posting, TaskCompletionSource<PostResult> Done);
}
