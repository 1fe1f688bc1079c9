-- The in-app notification feed (SPEC.md 6.10). One row per event per recipient; the unique (recipient, event)
-- pair makes a retried publish a no-op, and only a really inserted row sends an email. Ids are UUIDv7 taken
-- from the domain clock, so the feed pages newest first by id. Kept 180 days (SPEC.md 3.11, a later job).
create table notifications (
    id           uuid primary key,
    recipient_id uuid not null references users (id),
    event_id     uuid not null,
    type         text not null,
    trade_id     uuid,
    item_id      uuid,
    -- A small flat object the client shows (display names, item title, amounts); never private data.
    data         jsonb not null default '{}' check (jsonb_typeof(data) = 'object'),
    created_at   timestamptz not null,
    read_at      timestamptz
);
create unique index notifications_recipient_event on notifications (recipient_id, event_id);
create index notifications_feed on notifications (recipient_id, id desc);
-- Serves both the unread count and the unreadOnly feed.
create index notifications_unread on notifications (recipient_id, id desc) where read_at is null;
