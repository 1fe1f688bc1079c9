-- Conversion quotes (SPEC.md 7.1): the price a conversion executes at, private to its owner, kept in the database so a
-- quote survives a silo restart for its 60 seconds and can be executed once (used_at, set by the execution).
create table conversion_quotes (
    id                 uuid primary key,
    user_id            uuid not null references users (id),
    direction          text not null check (direction in ('credits_to_btc', 'btc_to_credits')),
    amount_minor       bigint not null check (amount_minor > 0),
    btc_sats           bigint not null check (btc_sats > 0),
    mid_minor_per_btc  bigint not null check (mid_minor_per_btc > 0),
    rate_minor_per_btc bigint not null check (rate_minor_per_btc > 0),
    spread_bps         integer not null check (spread_bps >= 0),
    created_at         timestamptz not null,
    expires_at         timestamptz not null check (expires_at > created_at),
    used_at            timestamptz
);

create index conversion_quotes_by_user on conversion_quotes (user_id, created_at desc);
