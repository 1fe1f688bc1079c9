-- Feedback (SPEC.md 6.9): each party of an eligible trade rates the other once. Immutable: the runtime role may only
-- select and insert (RuntimeGrants.sql). Blindness is not stored: a row is visible to others once the other party's
-- row exists or the trade's ended_at + 7 days has passed, both computed at read time, so no timer flips anything.
-- Ids are UUIDv7 taken from the domain clock, so the subject's list pages newest first by id.
create table feedback (
    id          uuid primary key,
    trade_id    uuid not null references trades (id),
    author_id   uuid not null references users (id),
    subject_id  uuid not null references users (id),
    role        text not null check (role in ('buyer', 'seller')),
    rating      smallint not null check (rating between 1 and 5),
    comment     text check (char_length(comment) between 10 and 500),
    created_at  timestamptz not null,
    check (author_id <> subject_id)
);

-- Once per party and trade (409 already_submitted); it also finds the other party's row for the blind rule.
create unique index feedback_once_per_author on feedback (trade_id, author_id);
-- The subject's received list (GET /users/{id}/feedback) and its rating average.
create index feedback_received on feedback (subject_id, id desc);
