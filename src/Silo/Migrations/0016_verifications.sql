-- Identity verification requests (SPEC.md 3.8). users.verification_status (0003) stays the user's current state and
-- is written by the UserGrain in the same transaction as the request row. A decided request keeps its record after
-- its document is deleted 90 days on (3.11): document_deleted_at says so, document_key no longer resolves.
create table verification_requests (
    id                  uuid primary key,
    user_id             uuid not null references users (id),
    status              text not null check (status in ('pending', 'verified', 'rejected')),
    document_type       text not null check (document_type in ('passport', 'drivers_license', 'national_id')),
    -- Every blob of the document starts with document_prefix; document_key is the one moderators open.
    document_prefix     text not null,
    document_key        text not null,
    submitted_at        timestamptz not null,
    decided_at          timestamptz,
    decided_by          uuid references users (id),
    reason              text check (char_length(reason) between 10 and 500),
    document_deleted_at timestamptz,
    check ((status = 'pending') = (decided_at is null))
);

-- One pending request per user (SPEC.md 3.8: one at a time).
create unique index verification_requests_one_pending on verification_requests (user_id) where status = 'pending';
create index verification_requests_queue on verification_requests (status, submitted_at, id);
create index verification_requests_documents_due on verification_requests (decided_at) where document_deleted_at is null and decided_at is not null;
