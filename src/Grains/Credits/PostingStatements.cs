using System.Text.Json;
using NeXChange.Notifications;
using Npgsql;
using NpgsqlTypes;

namespace NeXChange.Credits;

/// <summary>
/// The statements that write postings' transaction rows, entries and notices, each for any number of postings at once
/// (one posting is a set of one). The group commit writer sends a whole wave of postings (<see cref="Waves"/>) as one
/// statement per table instead of a few statements per posting; the entries' statement trigger (migration 0030) checks
/// and applies all of a statement's entries at once, so the database enforces exactly what it enforces for a single posting.
/// </summary>
public static class PostingStatements
{
    /// <summary>"on conflict do nothing": a key already stored (a replay, a conflict) or being stored by a concurrent writer inserts no row.</summary>
    public const string InsertTransactionsSql = """
        insert into ledger.transactions (id, idempotency_key, request_hash, kind, initiator_id, counterparty_id,
            trade_id, conversion_id, memo, created_at, meta, reverses_transaction_id)
        select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::uuid[], $6::uuid[], $7::uuid[], $8::uuid[],
            $9::text[], $10::timestamptz[], $11::jsonb[], $12::uuid[])
        on conflict (idempotency_key) do nothing
        """;

    /// <summary>
    /// The legs of the postings whose transaction row this database transaction holds (a replayed key inserts none), in
    /// the order given: each posting's legs in account-id order, the lock order. Each entry is stamped with its
    /// balance_after, the account's balance plus the running sum of the statement's entries of that account, which the
    /// entries' statement trigger (migration 0030) checks against the locked balances before it applies them: the
    /// accounts must be locked (ledger.lock_accounts) by an earlier statement, so that this one reads current balances.
    /// An unknown account stamps nothing and is refused by the row trigger that stamps unstamped entries.
    /// </summary>
    public const string InsertEntriesSql = """
        insert into ledger.entries (transaction_id, account_id, amount, balance_after, created_at)
        select leg.transaction_id, leg.account_id, leg.amount,
            a.balance + sum(leg.amount) over (partition by leg.account_id order by leg.position), leg.created_at
        from unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::timestamptz[])
            with ordinality as leg (transaction_id, account_id, amount, created_at, position)
        left join ledger.accounts a on a.id = leg.account_id
        where exists (select from ledger.transactions t where t.id = leg.transaction_id)
        order by leg.position
        returning account_id, balance_after
        """;

    /// <summary>Locks the given ledger accounts in id order until commit (migration 0025), before their entries are stamped.</summary>
    public const string LockAccountsSql = "select ledger.lock_accounts($1)";

    /// <summary>
    /// The postings' feed entries, one row per recipient, only for postings written now (not a replay) and recipients
    /// with a live account; a retried event conflicts on (recipient, event) and inserts nothing.
    /// </summary>
    public const string InsertNoticesSql = """
        insert into notifications (id, recipient_id, event_id, type, trade_id, item_id, data, created_at)
        select n.id, n.recipient_id, n.event_id, n.type, n.trade_id, n.item_id, n.data, n.created_at
        from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::uuid[], $6::uuid[], $7::jsonb[], $8::timestamptz[], $9::uuid[])
            as n (id, recipient_id, event_id, type, trade_id, item_id, data, created_at, transaction_id)
        where exists (select from users u where u.id = n.recipient_id and u.deleted_at is null)
          and exists (select from ledger.transactions t where t.id = n.transaction_id)
        on conflict (recipient_id, event_id) do nothing
        """;

    public static void AddTransactionParameters(NpgsqlParameterCollection parameters, IReadOnlyList<PostgresLedgerWriter.Prepared> postings)
    {
        Add(parameters, postings.Select(p => p.TransactionId));
        Add(parameters, postings.Select(p => p.Posting.IdempotencyKey));
        Add(parameters, postings.Select(p => p.Hash));
        Add(parameters, postings.Select(p => p.Posting.Kind));
        AddNullable(parameters, postings.Select(p => p.Posting.InitiatorId));
        AddNullable(parameters, postings.Select(p => p.Posting.CounterpartyId));
        AddNullable(parameters, postings.Select(p => p.Posting.TradeId));
        AddNullable(parameters, postings.Select(p => p.Posting.ConversionId));
        parameters.Add(new() { Value = postings.Select(p => p.Posting.Memo).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        Add(parameters, postings.Select(p => p.CreatedAt));
        parameters.Add(new() { Value = postings.Select(p => Meta(p.Posting)).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        AddNullable(parameters, postings.Select(p => p.Posting.ReversesTransactionId));
    }

    public static void AddEntryParameters(NpgsqlParameterCollection parameters, IReadOnlyList<PostgresLedgerWriter.Prepared> postings)
    {
        var legs = postings.SelectMany(p => p.Legs.Select(l => (p.TransactionId, l.Id, l.AmountMinor, p.CreatedAt))).ToArray();
        Add(parameters, legs.Select(l => l.TransactionId));
        Add(parameters, legs.Select(l => l.Id));
        Add(parameters, legs.Select(l => l.AmountMinor));
        Add(parameters, legs.Select(l => l.CreatedAt));
    }

    /// <summary>False when none of the postings carries a notice (the statement is then left out).</summary>
    public static bool AddNoticeParameters(NpgsqlParameterCollection parameters, IReadOnlyList<PostgresLedgerWriter.Prepared> postings)
    {
        var rows = postings
            .Where(p => p.Posting.Notice is not null)
            .SelectMany(p => p.Posting.Notice!.Recipients.Select(recipient => (p.TransactionId, Notice: p.Posting.Notice!, Recipient: recipient)))
            .ToArray();
        if (rows.Length == 0) return false;
        Add(parameters, rows.Select(r => FeedIds.Next(r.Notice.At)));
        Add(parameters, rows.Select(r => r.Recipient));
        Add(parameters, rows.Select(r => r.Notice.Event.EventId));
        Add(parameters, rows.Select(r => r.Notice.Event.Type));
        AddNullable(parameters, rows.Select(r => r.Notice.Event.TradeId));
        AddNullable(parameters, rows.Select(r => r.Notice.Event.ItemId));
        parameters.Add(new() { Value = rows.Select(r => r.Notice.DataJson).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        Add(parameters, rows.Select(r => r.Notice.At));
        Add(parameters, rows.Select(r => r.TransactionId));
        return true;
    }

    /// <summary>
    /// Splits postings, in queue order, into waves that can each be written by one statement per table: within a wave no
    /// idempotency key appears twice (the second posting's replay would depend on row order). Accounts may repeat: the
    /// entries insert stamps running balances in wave order and the statement trigger applies them in that order. A
    /// posting goes into the wave after the last one with its key, and never before the last one that touches one of
    /// its accounts, so per account the postings keep their queue order.
    /// </summary>
    public static List<List<PostgresLedgerWriter.Prepared>> Waves(IEnumerable<PostgresLedgerWriter.Prepared> postings)
    {
        var waves = new List<List<PostgresLedgerWriter.Prepared>>();
        var lastWaveOfAccount = new Dictionary<Guid, int>();
        var lastWaveOfKey = new Dictionary<string, int>();
        foreach (var posting in postings)
        {
            var wave = posting.Legs.Select(l => lastWaveOfAccount.GetValueOrDefault(l.Id, 0))
                .Append(lastWaveOfKey.GetValueOrDefault(posting.Posting.IdempotencyKey, -1) + 1)
                .Max();
            if (wave == waves.Count) waves.Add([]);
            waves[wave].Add(posting);
            foreach (var leg in posting.Legs) lastWaveOfAccount[leg.Id] = wave;
            lastWaveOfKey[posting.Posting.IdempotencyKey] = wave;
        }
        return waves;
    }

    /// <summary>The texts kept with a transaction for operators: the reason given, and the caller's key (see <see cref="LedgerPosting.RequestKey"/>).</summary>
    private static string? Meta(LedgerPosting posting)
    {
        var meta = new Dictionary<string, string>();
        if (posting.Reason is not null) meta["reason"] = posting.Reason;
        if (posting.RequestKey is not null) meta["requestKey"] = posting.RequestKey;
        return meta.Count == 0 ? null : JsonSerializer.Serialize(meta);
    }

    private static void Add<T>(NpgsqlParameterCollection parameters, IEnumerable<T> values) =>
        parameters.Add(new() { Value = values.ToArray() });

    private static void AddNullable(NpgsqlParameterCollection parameters, IEnumerable<Guid?> values) =>
        parameters.Add(new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Uuid });
}
