-- Ledger rules checked once per statement instead of once per entry (issue 12). Migration 0010's row triggers locked,
-- checked and applied every entry on its own: a group commit wave of 64 transfers ran 128 BEFORE and 128 AFTER
-- PL/pgSQL calls, each with its own queries, and one statement could touch an account only once. Measured with
-- pgbench, those row triggers cost about two thirds of the database time of a transfer.
--
-- Now the writer stamps each entry's balance_after itself, in the insert, as the account's balance plus the running
-- sum of the statement's entries of that account (after locking the accounts with ledger.lock_accounts, so the
-- balance it reads is current), and one AFTER STATEMENT trigger over the inserted rows checks and applies them all:
--   * an entry belongs to a ledger transaction written by this database transaction (NX003, as before);
--   * it locks the accounts in id order, then recomputes every running balance from the locked balances in entry id
--     order: a negative non-ISSUANCE balance is an overdraft (NX001), any other difference from the stamped
--     balance_after a forged or stale stamp (NX003);
--   * it sets each account's balance once, to the balance_after of its last entry (the accounts guard still checks
--     that this is the latest entry's balance_after);
--   * it adds the daily outflow per account and day in one upsert and refuses beyond the limits (NX005, same message).
-- An insert without balance_after (hand-written SQL, tests going around the writer) is stamped as before by 0010's
-- BEFORE row function, now fired only for such rows; the statement trigger then checks it like any other.
-- Entry ids come from the identity only (the runtime role may not insert the id column any more), so for every
-- writer that locks first, per account the id order is the order in which balances apply (L5); a writer that does not
-- lock first is refused by the checks above rather than trusted.

drop trigger entries_before on ledger.entries;
drop trigger entries_after on ledger.entries;
drop function ledger.after_entry();
-- ledger.before_entry() (0010) stays: it stamps the rows that arrive without balance_after (trigger entries_stamp below).

create function ledger.apply_entries() returns trigger language plpgsql security definer
set search_path = pg_catalog, ledger as $$
declare
    bad    record;
    limits record;
begin
    select e.transaction_id into bad
    from added e join ledger.transactions t on t.id = e.transaction_id
    where t.written_by is distinct from pg_current_xact_id()
    limit 1;
    if found then
        raise exception using errcode = 'NX003',
            message = format('ledger transaction %s is closed: entries are written with it, never later', bad.transaction_id);
    end if;

    perform from ledger.accounts a where a.id in (select e.account_id from added e) order by a.id for update;

    -- Every query below reads the balances as locked above: none of this statement's entries is applied yet.
    select r.account_id, r.kind, r.expected < 0 and r.kind <> 'ISSUANCE' as overdraft, r.id, r.balance_after, r.expected
    into bad
    from (
        select e.id, e.account_id, e.balance_after, a.kind,
               a.balance + sum(e.amount) over (partition by e.account_id order by e.id) as expected
        from added e join ledger.accounts a on a.id = e.account_id
    ) r
    where (r.expected < 0 and r.kind <> 'ISSUANCE') or r.expected is distinct from r.balance_after
    order by r.expected < 0 and r.kind <> 'ISSUANCE' desc, r.id
    limit 1;
    if found and bad.overdraft then
        raise exception using errcode = 'NX001', message = format('insufficient funds on ledger account %s', bad.account_id);
    elsif found then
        raise exception using errcode = 'NX003', message = format('entry %s was stamped %s but applies %s', bad.id, bad.balance_after, bad.expected);
    end if;

    update ledger.accounts a set balance = last.balance_after
    from (select distinct on (e.account_id) e.account_id, e.balance_after from added e order by e.account_id, e.id desc) last
    where a.id = last.account_id;

    -- SPEC.md 2.6 daily outflow, per account and UTC day of the posting. The message is "<limit> <limit value>
    -- <remaining before this statement>", read by the ledger writer (a DETAIL would be redacted by the driver).
    select l.daily_minor, l.daily_count into limits from ledger.outflow_limits l;
    with outflow as (
        select e.account_id, (t.created_at at time zone 'UTC')::date as day, sum(-e.amount)::bigint as amount, count(*)::integer as count
        from added e
        join ledger.transactions t on t.id = e.transaction_id
        join ledger.accounts a on a.id = e.account_id
        where a.kind = 'USER_AVAILABLE' and e.amount < 0 and t.kind in ('transfer', 'escrow_hold', 'conversion_out_start')
        group by 1, 2
    ), used as (
        insert into ledger.daily_outflow as d (account_id, day, amount, count)
        select o.account_id, o.day, o.amount, o.count from outflow o
        on conflict (account_id, day) do update set amount = d.amount + excluded.amount, count = d.count + excluded.count
        returning d.account_id, d.day, d.amount, d.count
    )
    select u.count > limits.daily_count as over_count, u.amount - o.amount as amount_before, u.count - o.count as count_before
    into bad
    from used u join outflow o on o.account_id = u.account_id and o.day = u.day
    where u.count > limits.daily_count or u.amount > limits.daily_minor
    order by u.count > limits.daily_count desc, u.account_id
    limit 1;
    if found and bad.over_count then
        raise exception using errcode = 'NX005',
            message = format('daily_outflow_count %s %s', limits.daily_count, greatest(0, limits.daily_count - bad.count_before));
    elsif found then
        raise exception using errcode = 'NX005',
            message = format('daily_outflow_amount %s %s', limits.daily_minor, greatest(0, limits.daily_minor - bad.amount_before));
    end if;
    return null;
end $$;

create trigger entries_stamp before insert on ledger.entries
    for each row when (new.balance_after is null) execute function ledger.before_entry();
create trigger entries_apply after insert on ledger.entries
    referencing new table as added
    for each statement execute function ledger.apply_entries();
