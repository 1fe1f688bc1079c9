-- Conversions (SPEC.md 7.3, 7.4). A conversion row and the ledger postings that move its credits are written in the
-- same database transaction; the rules below hold even if application code is wrong or runs twice:
--   * a conversion executes one quote, once, at exactly the quote's terms, for the quote's owner;
--   * statuses only move along SPEC.md 7.3's graph, and a settled, failed or credited conversion has its posting;
--   * each conversion step is posted at most once, a cash-out ends at most once, and only after it started.

create table conversions (
    id                 uuid primary key,
    user_id            uuid not null references users (id),
    quote_id           uuid not null unique references conversion_quotes (id),
    direction          text not null check (direction in ('credits_to_btc', 'btc_to_credits')),
    amount_minor       bigint not null check (amount_minor > 0),
    btc_sats           bigint not null check (btc_sats > 0),
    rate_minor_per_btc bigint not null check (rate_minor_per_btc > 0),
    status             text not null check (status in ('pending_payout', 'awaiting_deposit', 'completed', 'failed', 'expired')),
    payout_address     text check (length(payout_address) <= 100),
    deposit_address    text check (length(deposit_address) <= 100),
    deposit_expires_at timestamptz,
    partner_tx_id      text check (length(partner_tx_id) <= 200),
    failure_reason     text check (length(failure_reason) <= 200),
    -- Cash-outs: how often the partner was asked without a definitive answer, and when it accepted the request.
    payout_attempts    integer not null default 0 check (payout_attempts >= 0),
    payout_accepted_at timestamptz,
    created_at         timestamptz not null,
    completed_at       timestamptz,
    check ((direction = 'credits_to_btc') = (payout_address is not null)),
    check ((direction = 'btc_to_credits') = (deposit_address is not null and deposit_expires_at is not null)),
    check ((status in ('completed', 'failed')) = (completed_at is not null))
);
create index conversions_by_user on conversions (user_id, id desc);
create index conversions_open on conversions (user_id) where status in ('pending_payout', 'awaiting_deposit');

-- Partner events already handled, so a repeated eventId changes nothing (SPEC.md 7.4). Recorded after the event's
-- effect commits: a partner retrying an event whose handling failed gets it handled.
create table custody_events (
    event_id      text primary key check (length(event_id) between 1 and 100),
    conversion_id uuid not null references conversions (id),
    type          text not null,
    outcome       text not null check (outcome in ('applied', 'ignored', 'conflict')),
    received_at   timestamptz not null
);

create function conversion_guard() returns trigger language plpgsql
set search_path = pg_catalog, public, ledger as $$
declare
    quote record;
    needed text;
begin
    if tg_op = 'DELETE' then
        raise exception using errcode = 'NX006', message = 'conversions are never deleted';
    end if;
    if tg_op = 'INSERT' then
        select q.user_id, q.direction, q.amount_minor, q.btc_sats, q.rate_minor_per_btc, q.expires_at into quote
        from conversion_quotes q where q.id = new.quote_id;
        if quote.user_id is distinct from new.user_id or quote.direction <> new.direction or quote.amount_minor <> new.amount_minor
           or quote.btc_sats <> new.btc_sats or quote.rate_minor_per_btc <> new.rate_minor_per_btc then
            raise exception using errcode = 'NX006', message = format('conversion %s does not match its quote', new.id);
        end if;
        if new.created_at > quote.expires_at then
            raise exception using errcode = 'NX006', message = format('conversion %s executes an expired quote', new.id);
        end if;
        if new.status <> (case new.direction when 'credits_to_btc' then 'pending_payout' else 'awaiting_deposit' end) then
            raise exception using errcode = 'NX006', message = format('conversion %s cannot start as %s', new.id, new.status);
        end if;
        if new.direction = 'credits_to_btc' and not exists (
            select 1 from ledger.transactions t where t.conversion_id = new.id and t.kind = 'conversion_out_start') then
            raise exception using errcode = 'NX006', message = format('cash-out %s has no conversion_out_start', new.id);
        end if;
        return new;
    end if;

    if (new.id, new.user_id, new.quote_id, new.direction, new.amount_minor, new.btc_sats, new.rate_minor_per_btc, new.created_at)
       is distinct from (old.id, old.user_id, old.quote_id, old.direction, old.amount_minor, old.btc_sats, old.rate_minor_per_btc, old.created_at)
       or new.payout_address is distinct from old.payout_address or new.deposit_address is distinct from old.deposit_address
       or new.deposit_expires_at is distinct from old.deposit_expires_at then
        raise exception using errcode = 'NX006', message = format('the terms of conversion %s are immutable', new.id);
    end if;
    if old.status in ('completed', 'failed') then
        raise exception using errcode = 'NX006', message = format('conversion %s has ended (%s)', new.id, old.status);
    end if;
    if new.status is distinct from old.status then
        if not ((old.status = 'pending_payout' and new.status in ('completed', 'failed'))
             or (old.status = 'awaiting_deposit' and new.status in ('completed', 'failed', 'expired'))
             or (old.status = 'expired' and new.status in ('completed', 'failed'))) then
            raise exception using errcode = 'NX006', message = format('conversion %s cannot go from %s to %s', new.id, old.status, new.status);
        end if;
        needed := case
            when new.direction = 'credits_to_btc' and new.status = 'completed' then 'conversion_out_settle'
            when new.direction = 'credits_to_btc' and new.status = 'failed' then 'conversion_out_fail'
            when new.direction = 'btc_to_credits' and new.status = 'completed' then 'conversion_in'
        end;
        if needed is not null and not exists (
            select 1 from ledger.transactions t where t.conversion_id = new.id and t.kind = needed) then
            raise exception using errcode = 'NX006', message = format('conversion %s cannot be %s without %s', new.id, new.status, needed);
        end if;
    end if;
    return new;
end $$;
create trigger conversions_guard before insert or update or delete on conversions
    for each row execute function conversion_guard();

-- The ledger side. Conversion kinds carry their conversion id and no others do; each step once per conversion; one
-- outcome per conversion; a cash-out settles or fails only after it started.
alter table ledger.transactions add constraint transactions_conversion_link
    check ((kind in ('conversion_out_start', 'conversion_out_settle', 'conversion_out_fail', 'conversion_in')) = (conversion_id is not null));
create unique index transactions_conversion_step on ledger.transactions (conversion_id, kind) where conversion_id is not null;
create unique index transactions_conversion_outcome on ledger.transactions (conversion_id)
    where kind in ('conversion_out_settle', 'conversion_out_fail', 'conversion_in');

create function ledger.guard_conversion_step() returns trigger language plpgsql
set search_path = pg_catalog, ledger as $$
begin
    if new.kind in ('conversion_out_settle', 'conversion_out_fail') and not exists (
        select 1 from ledger.transactions t where t.conversion_id = new.conversion_id and t.kind = 'conversion_out_start') then
        raise exception using errcode = 'NX006', message = format('conversion %s has not started', new.conversion_id);
    end if;
    return new;
end $$;
create trigger transactions_conversion_step before insert on ledger.transactions
    for each row when (new.kind in ('conversion_out_settle', 'conversion_out_fail'))
    execute function ledger.guard_conversion_step();
