-- Trades (SPEC.md 6). The TradeGrain's own state lives in Orleans grain storage; this table is its query projection:
-- "my trades", the open trades of an item, the trades whose timer is due, and the outcomes reputation counts. The
-- grain writes it before its state on an offer (the partial unique index is the guard "one open trade per buyer and
-- item", 409 trade_exists) and after its state on every change, carrying its version so a stale write is dropped.
create table trades (
    id              uuid primary key,
    item_id         uuid not null references items (id),
    buyer_id        uuid not null references users (id),
    seller_id       uuid not null references users (id),
    status          text not null check (status in ('offered', 'countered', 'accepted', 'scheduled', 'disputed',
                        'completed', 'declined', 'withdrawn', 'expired', 'cancelled', 'resolved')),
    -- The earliest timer still to fire (SPEC.md 6.7); null when none is pending.
    next_due_at     timestamptz,
    held_at         timestamptz,
    ended_at        timestamptz,
    end_reason      text,
    resolution      text,
    -- 'both' only for a hold timeout, which reputation counts against both parties (SPEC.md 6.9).
    at_fault        text check (at_fault in ('buyer', 'seller', 'none', 'both')),
    no_show_party   text check (no_show_party in ('buyer', 'seller')),
    buyer_on_time   boolean,
    seller_on_time  boolean,
    version         bigint not null,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    check (buyer_id <> seller_id)
);

create unique index trades_one_open_per_buyer on trades (item_id, buyer_id)
    where status in ('offered', 'countered', 'accepted', 'scheduled', 'disputed');
create index trades_by_item_open on trades (item_id)
    where status in ('offered', 'countered', 'accepted', 'scheduled', 'disputed');
create index trades_by_buyer on trades (buyer_id, id desc);
create index trades_by_seller on trades (seller_id, id desc);
create index trades_due on trades (next_due_at) where next_due_at is not null;
