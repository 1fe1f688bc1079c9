-- Disputes (SPEC.md 6.8). The dispute itself is part of its trade's grain state (the TradeGrain is the single writer);
-- this projection serves the moderators' queue (escalated first, then oldest) and the monthly cap per opener.
create table disputes (
    id          uuid primary key,
    trade_id    uuid not null unique references trades (id),
    opened_by   uuid not null references users (id),
    status      text not null check (status in ('open', 'resolved')),
    escalated   boolean not null,
    created_at  timestamptz not null,
    resolved_at timestamptz,
    version     bigint not null
);

create index disputes_queue on disputes (status, escalated desc, created_at, id);
create index disputes_by_opener on disputes (opened_by, created_at);
