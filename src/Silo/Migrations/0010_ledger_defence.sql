-- The database alone keeps money right, even when the application is wrong or runs twice (DESIGN.md 3).
--
-- Until now a BEFORE INSERT trigger on entries moved the balance. A BEFORE trigger runs before the row is known to be
-- stored: an `insert ... on conflict do nothing` that then conflicts moved a balance without leaving an entry. The
-- work is now split: BEFORE locks the account, checks the entry and stamps id and balance_after; AFTER (which runs
-- only for rows really inserted) moves the balance and the daily outflow. The accounts guard no longer trusts
-- pg_trigger_depth(): a balance may only become the balance_after of the account's latest entry, a fact of the data
-- rather than of the call stack. The runtime role has no UPDATE on accounts at all; the trigger functions are
-- SECURITY DEFINER (owned by the migration role) with a fixed search_path.

drop trigger entries_apply on ledger.entries;
drop function ledger.apply_entry();

-- A transaction names each account once; two legs on one account would also make balance_after ambiguous.
create unique index entries_transaction_account on ledger.entries (transaction_id, account_id);
drop index ledger.entries_transaction; -- the unique index above serves its lookups

-- The database transaction that wrote each ledger transaction, so that entries cannot be appended to one that
-- committed earlier. Rows from before this migration stay null and are closed for appends as well.
alter table ledger.transactions add column written_by xid8;

create function ledger.stamp_transaction() returns trigger language plpgsql
set search_path = pg_catalog, ledger as $$
begin
    new.written_by := pg_current_xact_id();
    return new;
end $$;
create trigger transactions_stamp before insert on ledger.transactions
    for each row execute function ledger.stamp_transaction();

-- Accounts open at zero; only entries move them afterwards.
create function ledger.guard_new_account() returns trigger language plpgsql
set search_path = pg_catalog, ledger as $$
begin
    if new.balance <> 0 then
        raise exception using errcode = 'NX003', message = format('ledger account %s must open at zero', new.id);
    end if;
    return new;
end $$;
create trigger accounts_open_at_zero before insert on ledger.accounts
    for each row execute function ledger.guard_new_account();

create or replace function ledger.guard_accounts() returns trigger language plpgsql
set search_path = pg_catalog, ledger as $$
declare
    latest bigint;
begin
    if tg_op = 'DELETE' then
        raise exception using errcode = 'NX003', message = 'ledger accounts are never deleted';
    end if;
    if new.id <> old.id or new.kind <> old.kind or new.owner_id is distinct from old.owner_id
       or new.created_at <> old.created_at then
        raise exception using errcode = 'NX003', message = 'ledger account identity is immutable';
    end if;
    if new.balance <> old.balance then
        select e.balance_after into latest from ledger.entries e where e.account_id = new.id order by e.id desc limit 1;
        if latest is distinct from new.balance then
            raise exception using errcode = 'NX003', message = 'balances change only through ledger entries';
        end if;
    end if;
    return new;
end $$;

-- SPEC.md 2.6 daily outflow limits, enforced here under the account's row lock as well as in the grain. The
-- migrate command writes the configured values (Limits:DailyOutflowMinor, Limits:DailyOutflowCount).
create table ledger.outflow_limits (
    singleton   boolean primary key default true check (singleton),
    daily_minor bigint not null check (daily_minor > 0),
    daily_count integer not null check (daily_count > 0)
);
insert into ledger.outflow_limits (daily_minor, daily_count) values (5000000, 100);

-- Per USER_AVAILABLE account and UTC day of the posting: the sum and count of outflow debits. Written only by
-- the entries trigger; like the ledger it is never corrected by hand.
create table ledger.daily_outflow (
    account_id uuid not null references ledger.accounts (id),
    day        date not null,
    amount     bigint not null check (amount >= 0),
    count      integer not null check (count >= 0),
    primary key (account_id, day)
);

create function ledger.before_entry() returns trigger language plpgsql security definer
set search_path = pg_catalog, ledger as $$
declare
    current_balance bigint;
    account_kind    text;
    tx_writer       xid8;
begin
    select t.written_by into tx_writer from ledger.transactions t where t.id = new.transaction_id;
    if not found then
        raise exception using errcode = 'foreign_key_violation', message = format('unknown ledger transaction %s', new.transaction_id);
    end if;
    if tx_writer is distinct from pg_current_xact_id() then
        raise exception using errcode = 'NX003',
            message = format('ledger transaction %s is closed: entries are written with it, never later', new.transaction_id);
    end if;
    -- The row lock serializes every writer of this account until commit.
    select a.balance, a.kind into current_balance, account_kind from ledger.accounts a where a.id = new.account_id for update;
    if not found then
        raise exception using errcode = 'foreign_key_violation', message = format('unknown ledger account %s', new.account_id);
    end if;
    new.balance_after := current_balance + new.amount; -- bigint overflow raises, never wraps
    if new.balance_after < 0 and account_kind <> 'ISSUANCE' then
        raise exception using errcode = 'NX001', message = format('insufficient funds on ledger account %s', new.account_id);
    end if;
    -- Taken after the lock, so that per account the id order is the order in which balances apply (L5).
    new.id := nextval(pg_get_serial_sequence('ledger.entries', 'id'));
    return new;
end $$;

create function ledger.after_entry() returns trigger language plpgsql security definer
set search_path = pg_catalog, ledger as $$
declare
    applied      bigint;
    account_kind text;
    tx           record;
    limits       record;
    used         record;
begin
    update ledger.accounts set balance = balance + new.amount where id = new.account_id returning balance, kind into applied, account_kind;
    if applied <> new.balance_after then
        raise exception using errcode = 'NX003', message = format('entry %s was stamped %s but applies %s', new.id, new.balance_after, applied);
    end if;
    if account_kind = 'USER_AVAILABLE' and new.amount < 0 then
        select t.kind, t.created_at into tx from ledger.transactions t where t.id = new.transaction_id;
        if tx.kind in ('transfer', 'escrow_hold', 'conversion_out_start') then
            insert into ledger.daily_outflow as d (account_id, day, amount, count)
            values (new.account_id, (tx.created_at at time zone 'UTC')::date, -new.amount, 1)
            on conflict (account_id, day) do update set amount = d.amount + excluded.amount, count = d.count + 1
            returning d.amount, d.count into used;
            select l.daily_minor, l.daily_count into limits from ledger.outflow_limits l;
            -- The message is "<limit> <limit value> <remaining before this posting>", read by the ledger writer (a
            -- DETAIL would be redacted by the driver).
            if used.count > limits.daily_count then
                raise exception using errcode = 'NX005',
                    message = format('daily_outflow_count %s %s', limits.daily_count, greatest(0, limits.daily_count - (used.count - 1)));
            end if;
            if used.amount > limits.daily_minor then
                raise exception using errcode = 'NX005',
                    message = format('daily_outflow_amount %s %s', limits.daily_minor, greatest(0, limits.daily_minor - (used.amount + new.amount)));
            end if;
        end if;
    end if;
    return null;
end $$;

create trigger entries_before before insert on ledger.entries
    for each row execute function ledger.before_entry();
create trigger entries_after after insert on ledger.entries
    for each row execute function ledger.after_entry();

create trigger outflow_limits_no_truncate before truncate on ledger.outflow_limits
    for each statement execute function ledger.refuse_change();
create trigger daily_outflow_no_truncate before truncate on ledger.daily_outflow
    for each statement execute function ledger.refuse_change();

-- Today's outflow of accounts that already have history, so the limit holds across this migration.
insert into ledger.daily_outflow (account_id, day, amount, count)
select e.account_id, (t.created_at at time zone 'UTC')::date, sum(-e.amount), count(*)
from ledger.entries e
join ledger.transactions t on t.id = e.transaction_id
join ledger.accounts a on a.id = e.account_id
where a.kind = 'USER_AVAILABLE' and e.amount < 0 and t.kind in ('transfer', 'escrow_hold', 'conversion_out_start')
group by 1, 2;
