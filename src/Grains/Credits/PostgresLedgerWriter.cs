using System.Globalization;
using NeXChange.Audit;
using NeXChange.Conversion;
using NeXChange.Errors;
using NeXChange.Notifications;
using Npgsql;

namespace NeXChange.Credits;

/// <summary>
/// Posts one balanced transaction per database transaction. It locks the posting's accounts and stamps each entry's
/// running balance; the database triggers check and apply those balances and refuse overdrafts (NX001), forged
/// stamps (NX003) and unbalanced transactions (NX002); this class owns idempotency and the lock order.
/// </summary>
public sealed class PostgresLedgerWriter(NpgsqlDataSource dataSource, AccountDirectory accounts, TimeProvider time) : ILedgerWriter
{
    private const string InsufficientFundsState = "NX001";
    private const string OutflowLimitState = "NX005";

    public async Task<PostResult> PostAsync(LedgerPosting posting, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Disposing the transaction without a commit rolls back whatever a refusal left half-written.
        var result = await WriteAsync(connection, transaction, posting, cancellationToken);
        if (result.Replayed) await transaction.RollbackAsync(cancellationToken);
        else await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// Writes <paramref name="posting"/> inside the caller's database transaction, which the caller commits, or rolls back
    /// (to a savepoint, in a group commit) when this throws. A replay writes nothing. The balance check L1 is deferred to
    /// the commit, where the caller has it run.
    /// </summary>
    public async Task<PostResult> WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, LedgerPosting posting,
        CancellationToken cancellationToken)
    {
        var prepared = await PrepareAsync(posting, cancellationToken);
        var (transactionId, createdAt, legs, hash) = (prepared.TransactionId, prepared.CreatedAt, prepared.Legs, prepared.Hash);

        // "on conflict do nothing" waits for a concurrent insert of the same key to finish: if it commits we get no
        // row and replay it below; if it rolls back (refused), this insert proceeds. Two identical concurrent posts
        // therefore yield one transaction and one replay, never a unique-violation error. The posting's accounts are
        // locked in the same round trip, in a statement of their own: the entries are stamped from the balances read
        // after it.
        await using (var start = new NpgsqlBatch(connection, transaction))
        {
            var insert = new NpgsqlBatchCommand(PostingStatements.InsertTransactionsSql);
            PostingStatements.AddTransactionParameters(insert.Parameters, [prepared]);
            var lockLegs = new NpgsqlBatchCommand(PostingStatements.LockAccountsSql);
            lockLegs.Parameters.Add(new() { Value = legs.Select(l => l.Id).ToArray() });
            start.BatchCommands.Add(insert);
            start.BatchCommands.Add(lockLegs);
            await start.ExecuteNonQueryAsync(cancellationToken);
            if (insert.RecordsAffected == 0)
            {
                return await FindAsync(connection, posting.IdempotencyKey, hash, cancellationToken)
                    ?? throw new InvalidOperationException($"Ledger key {posting.IdempotencyKey} conflicted but is not stored.");
            }
        }

        var balances = new Dictionary<Guid, long>();
        try
        {
            await using var entries = new NpgsqlCommand(PostingStatements.InsertEntriesSql, connection, transaction);
            PostingStatements.AddEntryParameters(entries.Parameters, [prepared]);
            await using var reader = await entries.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) balances[reader.GetGuid(0)] = reader.GetInt64(1);
        }
        catch (PostgresException e) when (e.SqlState is InsufficientFundsState or OutflowLimitState)
        {
            throw await RefusalAsync(e, legs, cancellationToken);
        }

        switch (posting.Hold)
        {
            case OpenHold open:
                await OpenHoldAsync(connection, transaction, open, await accounts.ResolveAsync(AccountRef.Escrow(open.BuyerId), cancellationToken),
                    createdAt, cancellationToken);
                break;
            case CloseHold close:
                await CloseHoldAsync(connection, transaction, close, createdAt, cancellationToken);
                break;
        }

        if (posting.Conversion is not null) await ConversionRows.ApplyAsync(connection, transaction, posting.Conversion, createdAt, cancellationToken);
        if (posting.Audit is not null) await AuditLog.WriteAsync(connection, transaction, posting.Audit, createdAt);
        if (posting.Notice is { } notice)
            await NotificationStore.InsertAsync(connection, transaction, notice.Event, notice.Recipients, notice.DataJson, notice.At);
        return new PostResult(transactionId, createdAt, Replayed: false, balances);
    }

    /// <summary>A posting with its accounts resolved (in id order: the lock order), its request hash and new ids.</summary>
    public sealed record Prepared(LedgerPosting Posting, Guid TransactionId, DateTimeOffset CreatedAt, (Guid Id, long AmountMinor)[] Legs, string Hash);

    public async Task<Prepared> PrepareAsync(LedgerPosting posting, CancellationToken cancellationToken)
    {
        if (posting.Legs.Select(l => l.Account).Distinct().Count() != posting.Legs.Count)
            throw new ArgumentException("A posting names each account once.", nameof(posting));
        var ids = await accounts.ResolveAsync(posting.Legs.Select(l => l.Account), cancellationToken);
        // Entries are inserted in account-id order so any two transactions lock shared accounts in the same order
        // and cannot deadlock each other.
        var legs = posting.Legs.Select(l => (Id: ids[l.Account], l.AmountMinor)).OrderBy(l => l.Id).ToArray();
        var createdAt = time.GetUtcNow();
        return new Prepared(posting, Guid.CreateVersion7(createdAt), createdAt, legs, posting.RequestHash());
    }

    /// <summary>The refusal a trigger's error stands for (overdraft NX001, daily outflow NX005); any other error as it is.</summary>
    public async Task<Exception> RefusalAsync(PostgresException e, (Guid Id, long AmountMinor)[] legs, CancellationToken cancellationToken) =>
        e.SqlState switch
        {
            InsufficientFundsState => await InsufficientFundsAsync(legs, cancellationToken),
            OutflowLimitState => OutflowLimit(e.MessageText),
            _ => e,
        };

    public async Task<PostResult?> FindAsync(LedgerPosting posting, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await FindAsync(connection, posting.IdempotencyKey, posting.RequestHash(), cancellationToken);
    }

    public static async Task<PostResult?> FindAsync(NpgsqlConnection connection, string key, string hash, CancellationToken cancellationToken)
    {
        await using var find = new NpgsqlCommand(
            "select id, request_hash, created_at from ledger.transactions where idempotency_key = $1", connection);
        find.Parameters.Add(new() { Value = key });
        await using var reader = await find.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        if (reader.GetString(1) != hash)
            throw new DomainException(ErrorCodes.IdempotencyConflict, "This idempotency key was used for a different request.");
        return new PostResult(reader.GetGuid(0), reader.GetFieldValue<DateTimeOffset>(2), Replayed: true, new Dictionary<Guid, long>());
    }

    private static async Task OpenHoldAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, OpenHold hold, Guid escrowAccount,
        DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            insert into ledger.holds (trade_id, buyer_id, account_id, amount, fee, status, created_at)
            values ($1, $2, $3, $4, $5, 'open', $6)
            """, connection, transaction);
        command.Parameters.Add(new() { Value = hold.TradeId });
        command.Parameters.Add(new() { Value = hold.BuyerId });
        command.Parameters.Add(new() { Value = escrowAccount });
        command.Parameters.Add(new() { Value = hold.AmountMinor });
        command.Parameters.Add(new() { Value = hold.FeeMinor });
        command.Parameters.Add(new() { Value = createdAt });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task CloseHoldAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CloseHold hold,
        DateTimeOffset closedAt, CancellationToken cancellationToken)
    {
        // The returned status is the one before this update only when the hold was not open (no row updated).
        await using var command = new NpgsqlCommand("""
            with closed as (
                update ledger.holds set status = $2, closed_at = $3 where trade_id = $1 and status = 'open' returning status)
            select (select status from closed), (select status from ledger.holds where trade_id = $1)
            """, connection, transaction);
        command.Parameters.Add(new() { Value = hold.TradeId });
        command.Parameters.Add(new() { Value = hold.Status });
        command.Parameters.Add(new() { Value = closedAt });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        if (!reader.IsDBNull(0)) return;
        if (reader.IsDBNull(1)) throw DomainException.NotFound();
        throw Refusals.InvalidTransition(reader.GetString(1));
    }

    /// <summary>
    /// The trigger refused an overdraft and the transaction is gone; a fresh read of the debited accounts names the
    /// first one that is short so the refusal carries availableMinor/requiredMinor (SPEC.md 9.1).
    /// </summary>
    private async Task<DomainException> InsufficientFundsAsync((Guid Id, long AmountMinor)[] legs, CancellationToken cancellationToken)
    {
        var debits = legs.Where(l => l.AmountMinor < 0).ToArray();
        await using var command = dataSource.CreateCommand("select id, balance from ledger.accounts where id = any($1)");
        command.Parameters.Add(new() { Value = debits.Select(d => d.Id).ToArray() });
        var balances = new Dictionary<Guid, long>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) balances[reader.GetGuid(0)] = reader.GetInt64(1);
        }
        foreach (var (id, amount) in debits)
        {
            if (balances.TryGetValue(id, out var available) && available < -amount) return Refusals.InsufficientFunds(available, -amount);
        }
        return new DomainException(ErrorCodes.InsufficientFunds, "The account does not hold enough credits.");
    }

    /// <summary>The daily outflow trigger's refusal, "&lt;limit&gt; &lt;limit value&gt; &lt;remaining&gt;" (migrations 0010 and 0030; "remaining" is what was left before the refused statement).</summary>
    private static DomainException OutflowLimit(string message)
    {
        var parts = message.Split(' ');
        var (limit, value, remaining) = (parts[0], long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
        return limit == "daily_outflow_count"
            ? Refusals.CountLimit(limit, (int)value, (int)remaining)
            : Refusals.AmountLimit(limit, value, remaining);
    }
}
