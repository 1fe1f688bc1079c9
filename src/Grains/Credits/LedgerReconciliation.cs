using System.Data;
using Npgsql;

namespace NeXChange.Credits;

/// <summary>
/// Reconciliation (SPEC.md 2.9): recomputes every balance of every account kind from entries and checks L1, L2,
/// L5-L8 and that no non-ISSUANCE account is negative. Sums are checked: an overflow is an error, never a wrap. Read-only; it reports and never corrects. Plain SQL, so the admin endpoint (via
/// <see cref="LedgerAuditGrain"/>) and the operator CLI run the same check, the CLI without joining the cluster.
/// </summary>
public sealed class LedgerReconciliation(NpgsqlDataSource dataSource, TimeProvider time)
{
    public async Task<ReconciliationReport> RunAsync()
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        // One snapshot for every query, so postings committed while this runs cannot show up as drift.
        await using var snapshot = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead);
        await using (var readOnly = new NpgsqlCommand("set transaction read only", connection, snapshot)) await readOnly.ExecuteNonQueryAsync();

        var drifts = new List<Drift>();
        var negative = new List<Guid>();
        long accountsChecked = 0, entriesChecked = 0, sum = 0, issuance = 0, fees = 0, clearing = 0, escrowBalances = 0;
        await using (var command = new NpgsqlCommand("""
            select a.id, a.kind, a.owner_id, a.balance, coalesce(s.total, 0)::bigint, coalesce(s.n, 0)::bigint, l.balance_after
            from ledger.accounts a
            left join (select account_id, sum(amount) as total, count(*) as n from ledger.entries group by account_id) s
                on s.account_id = a.id
            left join lateral (select balance_after from ledger.entries where account_id = a.id order by id desc limit 1) l on true
            """, connection, snapshot))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                var (id, kind, stored, recomputed) = (reader.GetGuid(0), reader.GetString(1), reader.GetInt64(3), reader.GetInt64(4));
                Guid? owner = reader.IsDBNull(2) ? null : reader.GetGuid(2);
                long? lastAfter = reader.IsDBNull(6) ? null : reader.GetInt64(6);
                accountsChecked++;
                entriesChecked += reader.GetInt64(5);
                sum = checked(sum + stored);
                if (stored != recomputed || (lastAfter.HasValue && lastAfter.Value != stored))
                    drifts.Add(new Drift(id, kind, owner, stored, recomputed));
                if (kind != AccountKind.Issuance.ToDb() && (stored < 0 || recomputed < 0)) negative.Add(id);
                // A system kind is the sum of its shards (migration 0027).
                if (kind == AccountKind.Issuance.ToDb()) issuance = checked(issuance + stored);
                else if (kind == AccountKind.PlatformFees.ToDb()) fees = checked(fees + stored);
                else if (kind == AccountKind.ConversionClearing.ToDb()) clearing = checked(clearing + stored);
                else if (kind == AccountKind.UserEscrow.ToDb()) escrowBalances = checked(escrowBalances + stored);
            }
        }

        var unbalanced = new List<Guid>();
        await using (var command = new NpgsqlCommand("""
            select t.id from ledger.transactions t left join ledger.entries e on e.transaction_id = t.id
            group by t.id having coalesce(sum(e.amount), 0) <> 0 or count(e.id) < 2
            """, connection, snapshot))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) unbalanced.Add(reader.GetGuid(0));
        }
        long transactionsChecked;
        await using (var command = new NpgsqlCommand("select count(*) from ledger.transactions", connection, snapshot))
            transactionsChecked = (long)(await command.ExecuteScalarAsync())!;

        var holdMismatches = new List<HoldMismatch>();
        await using (var command = new NpgsqlCommand("""
            select a.owner_id, a.balance, coalesce(h.open, 0)::bigint
            from ledger.accounts a
            left join (select account_id, sum(amount) as open from ledger.holds where status = 'open' group by account_id) h
                on h.account_id = a.id
            where a.kind = 'USER_ESCROW' and a.balance <> coalesce(h.open, 0)
            """, connection, snapshot))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) holdMismatches.Add(new HoldMismatch(reader.GetGuid(0), reader.GetInt64(1), reader.GetInt64(2)));
        }

        long openHolds, feesFromHolds;
        await using (var command = new NpgsqlCommand("""
            select coalesce(sum(amount) filter (where status = 'open'), 0)::bigint,
                   coalesce(sum(fee) filter (where status in ('open', 'released', 'split')), 0)::bigint
            from ledger.holds
            """, connection, snapshot))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            (openHolds, feesFromHolds) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        // L8 from the ledger itself: a cash-out is in flight from its start posting until a settle or fail posting.
        var staleConversions = new List<Guid>();
        long clearingFromConversions = 0;
        await using (var command = new NpgsqlCommand("""
            select s.conversion_id, e.amount, s.created_at < $1
            from ledger.transactions s
            join ledger.entries e on e.transaction_id = s.id
            join ledger.accounts a on a.id = e.account_id and a.kind = 'CONVERSION_CLEARING'
            where s.kind = 'conversion_out_start'
              and not exists (select 1 from ledger.transactions c
                              where c.conversion_id = s.conversion_id and c.kind in ('conversion_out_settle', 'conversion_out_fail'))
            """, connection, snapshot))
        {
            command.Parameters.Add(new() { Value = time.GetUtcNow().AddHours(-24) });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                clearingFromConversions = checked(clearingFromConversions + reader.GetInt64(1));
                if (reader.GetBoolean(2)) staleConversions.Add(reader.GetGuid(0));
            }
        }

        var ok = sum == 0 && fees == feesFromHolds && clearing == clearingFromConversions && drifts.Count == 0 && holdMismatches.Count == 0
            && unbalanced.Count == 0 && negative.Count == 0 && staleConversions.Count == 0;
        return new ReconciliationReport(time.GetUtcNow(), ok, accountsChecked, transactionsChecked, entriesChecked, sum, checked(-issuance), fees,
            clearing, openHolds, escrowBalances, drifts, holdMismatches, unbalanced, negative, staleConversions, feesFromHolds, clearingFromConversions);
    }
}
