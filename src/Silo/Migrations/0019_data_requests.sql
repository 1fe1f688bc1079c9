-- Data-subject requests (SPEC.md 3.10). The DataRequestGrain of a request is its single writer and runs its job on a
-- reminder; this table is the record the user and the moderators' queue read. A request never stores the personal
-- data it is about: rectify changes are applied to users and audited by field name only.
create table data_requests (
    id                 uuid primary key,
    user_id            uuid not null references users (id),
    type               text not null check (type in ('export', 'port', 'rectify', 'delete')),
    status             text not null check (status in ('received', 'processing', 'completed', 'failed')),
    created_at         timestamptz not null,
    sla_deadline       timestamptz not null,
    completed_at       timestamptz,
    failure_reason     text,
    -- Export and port: the ZIP's blob key while it may be downloaded (7 days after completion), then null.
    archive_key        text,
    archive_expires_at timestamptz,
    check ((status in ('completed', 'failed')) = (completed_at is not null))
);

-- One open request per type per user (409 request_in_progress).
create unique index data_requests_one_open on data_requests (user_id, type) where status in ('received', 'processing');
create index data_requests_by_user on data_requests (user_id, created_at desc, id);
create index data_requests_queue on data_requests (sla_deadline, id) where status in ('received', 'processing');
create index data_requests_archives_due on data_requests (archive_expires_at) where archive_key is not null;
