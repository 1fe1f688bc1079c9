-- System accounts in shards (issue 12): every hold locked the one PLATFORM_FEES row and every grant, closure and
-- conversion the one ISSUANCE or CONVERSION_CLEARING row until commit, so those movements ran one at a time across
-- the whole cluster. Each system kind now has 16 accounts; a posting books its system side on the shard chosen from
-- its own subject (the trade of a hold and of its refund, the conversion of every conversion step, the user of a
-- grant or closure), so a refund takes the fee back from the shard the hold put it in and no FEES or CLR shard can
-- go below zero. Shard 0 keeps the ids migration 0002 gave the single accounts. SPEC.md 2.2's "one" account of each
-- kind is the sum of its shards: reconciliation and reports add them up.
alter table ledger.accounts add column shard smallint not null default 0;
alter table ledger.accounts add constraint accounts_shard_range check (shard between 0 and 15);
alter table ledger.accounts add constraint accounts_user_shard check (owner_id is null or shard = 0);
drop index ledger.accounts_system_kind;
create unique index accounts_system_kind_shard on ledger.accounts (kind, shard) where owner_id is null;

-- Ids follow 0002's pattern: the last 12 hex digits are shard * 256 + (1 ISSUANCE | 2 PLATFORM_FEES | 3 CONVERSION_CLEARING).
insert into ledger.accounts (id, kind, shard)
select format('00000000-0000-7000-8000-%s', lpad(to_hex(s * 256 + k.n), 12, '0'))::uuid, k.kind, s
from generate_series(1, 15) s
cross join (values (1, 'ISSUANCE'), (2, 'PLATFORM_FEES'), (3, 'CONVERSION_CLEARING')) k(n, kind);

-- The shard is part of an account's identity, like its kind and owner.
create or replace function ledger.guard_accounts() returns trigger language plpgsql
set search_path = pg_catalog, ledger as $$
declare
    latest bigint;
begin
    if tg_op = 'DELETE' then
        raise exception using errcode = 'NX003', message = 'ledger accounts are never deleted';
    end if;
    if new.id <> old.id or new.kind <> old.kind or new.owner_id is distinct from old.owner_id
       or new.shard <> old.shard or new.created_at <> old.created_at then
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
