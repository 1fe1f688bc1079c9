using Npgsql;

namespace NeXChange.Credits;

public sealed record HoldRecord(Guid TradeId, Guid BuyerId, long AmountMinor, long FeeMinor, string Status);

/// <summary>A user's two ledger accounts.</summary>
public sealed record UserAccounts(Guid AvailableId, Guid EscrowId);

/// <summary>The reads behind a user's balance, limits, holds, history and statements; Postgres is the source of truth.</summary>
public sealed class LedgerReader(NpgsqlDataSource dataSource)
{
    private const string EntryColumns = """
        e.id, e.transaction_id, t.kind, e.account_id, e.amount, e.balance_after, e.created_at, t.trade_id, t.conversion_id,
        case when t.kind = 'transfer' then case when t.initiator_id = $1 then t.counterparty_id else t.initiator_id end end,
        case when t.kind = 'transfer' and t.initiator_id = $1 and e.amount < 0 then t.memo end
        """;

    public async Task<(long Available, long Escrow)> GetBalancesAsync(UserAccounts accounts, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("select id, balance from ledger.accounts where id = any($1)");
        command.Parameters.Add(new() { Value = new[] { accounts.AvailableId, accounts.EscrowId } });
        long available = 0, escrow = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.GetGuid(0) == accounts.AvailableId) available = reader.GetInt64(1);
            else escrow = reader.GetInt64(1);
        }
        return (available, escrow);
    }

    /// <summary>Σ of AVAILABLE debits of the outflow kinds in [from, to) and the number of their transactions.</summary>
    public async Task<(long Minor, int Count)> GetOutflowAsync(Guid availableId, DateTimeOffset from, DateTimeOffset to,
        CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            select coalesce(sum(-e.amount), 0)::bigint, count(distinct e.transaction_id)::int
            from ledger.entries e join ledger.transactions t on t.id = e.transaction_id
            where e.account_id = $1 and e.amount < 0 and e.created_at >= $2 and e.created_at < $3 and t.kind = any($4)
            """);
        command.Parameters.Add(new() { Value = availableId });
        command.Parameters.Add(new() { Value = from });
        command.Parameters.Add(new() { Value = to });
        command.Parameters.Add(new() { Value = MovementKinds.Outflows.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt32(1));
    }

    public async Task<HoldRecord?> GetHoldAsync(Guid tradeId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "select trade_id, buyer_id, amount, fee, status from ledger.holds where trade_id = $1");
        command.Parameters.Add(new() { Value = tradeId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new HoldRecord(reader.GetGuid(0), reader.GetGuid(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetString(4))
            : null;
    }

    /// <summary>The user's entries on both accounts with id below <paramref name="beforeId"/>, newest first.</summary>
    public async Task<IReadOnlyList<LedgerEntry>> GetHistoryAsync(Guid userId, UserAccounts accounts, long? beforeId, int limit,
        CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            select {EntryColumns}
            from ledger.entries e join ledger.transactions t on t.id = e.transaction_id
            where e.account_id = any($2) and ($3::bigint is null or e.id < $3)
            order by e.id desc
            limit $4
            """);
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = new[] { accounts.AvailableId, accounts.EscrowId } });
        command.Parameters.Add(new() { Value = beforeId.HasValue ? beforeId.Value : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        command.Parameters.Add(new() { Value = limit });
        return await ReadEntriesAsync(command, accounts, cancellationToken);
    }

    /// <summary>The user's own entries of one transaction (none when the user has no part in it).</summary>
    public async Task<IReadOnlyList<LedgerEntry>> GetTransactionEntriesAsync(Guid userId, UserAccounts accounts, Guid transactionId,
        CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            select {EntryColumns}
            from ledger.entries e join ledger.transactions t on t.id = e.transaction_id
            where e.account_id = any($2) and e.transaction_id = $3
            order by e.id
            """);
        command.Parameters.Add(new() { Value = userId });
        command.Parameters.Add(new() { Value = new[] { accounts.AvailableId, accounts.EscrowId } });
        command.Parameters.Add(new() { Value = transactionId });
        return await ReadEntriesAsync(command, accounts, cancellationToken);
    }

    /// <summary>Any transaction with every leg, for operators; null when unknown.</summary>
    public async Task<LedgerTransaction?> GetTransactionAsync(Guid transactionId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            select t.kind, t.created_at, t.initiator_id, t.meta ->> 'reason', t.reverses_transaction_id,
                (select r.id from ledger.transactions r where r.reverses_transaction_id = t.id),
                a.kind, a.owner_id, e.amount, a.shard
            from ledger.transactions t join ledger.entries e on e.transaction_id = t.id join ledger.accounts a on a.id = e.account_id
            where t.id = $1 order by e.id
            """);
        command.Parameters.Add(new() { Value = transactionId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        LedgerTransaction? transaction = null;
        var legs = new List<TransactionLeg>();
        while (await reader.ReadAsync(cancellationToken))
        {
            transaction ??= new LedgerTransaction(transactionId, reader.GetString(0), reader.GetFieldValue<DateTimeOffset>(1), legs)
            {
                InitiatorId = reader.IsDBNull(2) ? null : reader.GetGuid(2),
                Reason = reader.IsDBNull(3) ? null : reader.GetString(3),
                ReversesTransactionId = reader.IsDBNull(4) ? null : reader.GetGuid(4),
                ReversedByTransactionId = reader.IsDBNull(5) ? null : reader.GetGuid(5),
            };
            legs.Add(new TransactionLeg(reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetGuid(7), reader.GetInt64(8)) { Shard = reader.GetInt16(9) });
        }
        return transaction;
    }

    /// <summary>
    /// One account's statement over [from, to): the opening balance is the sum of everything before <paramref name="from"/>,
    /// so opening + credits − debits is by construction the balance at <paramref name="to"/>.
    /// </summary>
    public async Task<AccountStatement> GetStatementAsync(Guid userId, UserAccounts accounts, Guid accountId, DateTimeOffset from,
        DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        long opening;
        await using (var command = dataSource.CreateCommand(
            "select coalesce(sum(amount), 0)::bigint from ledger.entries where account_id = $1 and created_at < $2"))
        {
            command.Parameters.Add(new() { Value = accountId });
            command.Parameters.Add(new() { Value = from });
            opening = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        IReadOnlyList<LedgerEntry> entries;
        await using (var command = dataSource.CreateCommand($"""
            select {EntryColumns}
            from ledger.entries e join ledger.transactions t on t.id = e.transaction_id
            where e.account_id = $2 and e.created_at >= $3 and e.created_at < $4
            order by e.created_at, e.id
            """))
        {
            command.Parameters.Add(new() { Value = userId });
            command.Parameters.Add(new() { Value = accountId });
            command.Parameters.Add(new() { Value = from });
            command.Parameters.Add(new() { Value = to });
            entries = await ReadEntriesAsync(command, accounts, cancellationToken);
        }
        var credits = entries.Where(e => e.AmountMinor > 0).Sum(e => e.AmountMinor);
        var debits = -entries.Where(e => e.AmountMinor < 0).Sum(e => e.AmountMinor);
        return new AccountStatement(AccountName(accounts, accountId), opening, credits, debits, opening + credits - debits, entries);
    }

    private static async Task<IReadOnlyList<LedgerEntry>> ReadEntriesAsync(NpgsqlCommand command, UserAccounts accounts,
        CancellationToken cancellationToken)
    {
        var entries = new List<LedgerEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new LedgerEntry(
                reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), AccountName(accounts, reader.GetGuid(3)),
                reader.GetInt64(4), reader.GetInt64(5), reader.GetFieldValue<DateTimeOffset>(6),
                reader.IsDBNull(7) ? null : reader.GetGuid(7), reader.IsDBNull(8) ? null : reader.GetGuid(8),
                reader.IsDBNull(9) ? null : reader.GetGuid(9), reader.IsDBNull(10) ? null : reader.GetString(10)));
        }
        return entries;
    }

    private static string AccountName(UserAccounts accounts, Guid accountId) =>
        accountId == accounts.AvailableId ? "available" : "escrow";
}
