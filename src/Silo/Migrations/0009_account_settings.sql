-- Account settings (SPEC.md 3.9); NULL means the defaults (all emails on, miles, America/New_York).
alter table users add column settings jsonb;
