-- Retention (SPEC.md 3.11), run by the daily maintenance job.

-- Item photos go 12 months after the item became archived or traded. Both are terminal, so status_changed_at is
-- when that happened; the daily job finds the items due in this index alone.
create index items_photo_retention on items (status_changed_at, id)
    where status in ('archived', 'traded') and not photos_purged;

-- Trades, disputes and feedback go 7 years after the trade ended, "except the trade id referenced by the ledger and
-- the hold". The ledger's trade_id columns carry no foreign key, but an operator following one must still find what
-- it was: the trades row stays as a tombstone (id, terminal status, ended_at, timestamps, purged_at) and everything
-- that described the trade or linked it to people and items is cleared, the dispute and feedback rows are deleted,
-- and the TradeGrain clears its own state. Purged rows match no query by item or party, so no list shows them.
alter table trades
    add column purged_at timestamptz,
    alter column item_id drop not null,
    alter column buyer_id drop not null,
    alter column seller_id drop not null;
create index trades_retention on trades (ended_at, id) where purged_at is null and ended_at is not null;

-- The cutoffs below come from the database's own clock, not from an argument: every silo shares it, the dev clock
-- (which runs ahead by design) and a skewed host cannot reach it, and a caller with the runtime role cannot pass a
-- cutoff in the future. The application picks candidates with its domain clock and these functions decide.

-- Feedback is immutable for the runtime role (no DELETE); this owner-run function is its only way out, for one
-- trade that ended more than 7 years ago. It returns whether it purged the trade now; a repeat returns false.
create function retention_purge_trade(p_trade uuid) returns boolean language plpgsql security definer
set search_path = pg_catalog, public as $$
begin
    update trades set item_id = null, buyer_id = null, seller_id = null, next_due_at = null, held_at = null,
                      end_reason = null, resolution = null, at_fault = null, no_show_party = null,
                      buyer_on_time = null, seller_on_time = null, purged_at = now(),
                      -- A late projection write of the cleared grain carries an older version and is dropped.
                      version = version + 1
     where id = p_trade and purged_at is null and ended_at < now() - interval '7 years';
    if not found then
        return false;
    end if;
    delete from feedback where trade_id = p_trade;
    delete from disputes where trade_id = p_trade;
    return true;
end $$;
revoke all on function retention_purge_trade(uuid) from public;

-- The audit log stays append-only: updates are still refused, and a delete is refused unless the row is more than 7
-- years old, so even the owner's retention function cannot remove a recent row. Truncate stays refused (0003).
drop trigger audit_log_no_update_or_delete on audit_log;
create trigger audit_log_no_update before update on audit_log
    for each row execute function audit_log_refuse_change();
create function audit_log_refuse_recent_delete() returns trigger language plpgsql
set search_path = pg_catalog, public as $$
begin
    if old.at >= now() - interval '7 years' then
        raise exception 'audit_log rows are kept 7 years';
    end if;
    return old;
end $$;
create trigger audit_log_delete_only_expired before delete on audit_log
    for each row execute function audit_log_refuse_recent_delete();

create index audit_log_at on audit_log (at);

-- The runtime role has no DELETE on audit_log; it may run this, which removes up to p_limit rows older than 7 years
-- (oldest first, so a large backlog goes in short transactions) and returns how many it removed.
create function retention_delete_expired_audit(p_limit integer) returns integer language sql security definer
set search_path = pg_catalog, public as $$
    with expired as (
        delete from audit_log where id in (
            select id from audit_log where at < now() - interval '7 years' order by at limit p_limit)
        returning 1)
    select count(*)::integer from expired
$$;
revoke all on function retention_delete_expired_audit(integer) from public;
