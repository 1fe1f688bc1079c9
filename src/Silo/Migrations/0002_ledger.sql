-- The credits ledger (DESIGN.md 3, SPEC.md 2). Postgres is the source of truth for money.
create schema ledger;

create table ledger.accounts (
    id         uuid primary key,
    kind       text not null check (kind in ('USER_AVAILABLE', 'USER_ESCROW', 'ISSUANCE', 'PLATFORM_FEES', 'CONVERSION_CLEARING')),
    owner_id   uuid,
    -- Running total kept by the entries trigger; never written by the application.
    balance    bigint not null default 0,
    created_at timestamptz not null default now(),
    check ((owner_id is null) = (kind in ('ISSUANCE', 'PLATFORM_FEES', 'CONVERSION_CLEARING')))
);
create unique index accounts_owner_kind on ledger.accounts (owner_id, kind) where owner_id is not null;
create unique index accounts_system_kind on ledger.accounts (kind) where owner_id is null;

-- System accounts have fixed ids so that code and reports can name them.
insert into ledger.accounts (id, kind) values
    ('00000000-0000-7000-8000-000000000001', 'ISSUANCE'),
    ('00000000-0000-7000-8000-000000000002', 'PLATFORM_FEES'),
    ('00000000-0000-7000-8000-000000000003', 'CONVERSION_CLEARING');
