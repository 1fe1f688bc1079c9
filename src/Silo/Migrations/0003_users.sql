-- Identity core (SPEC.md 3.1-3.4, 3.13). The users table is the source of truth for accounts: the UserGrain is
-- its single writer and caches the row, and logins and uniqueness checks query it directly. DESIGN.md 4 suggested
-- Orleans grain storage plus a projection; one relational row avoids writing every user twice.
create table users (
    id                        uuid primary key,
    email                     text not null,
    password_hash             text,
    date_of_birth             date,
    zip_code                  text,
    city                      text,
    -- ZIP centroid rounded to 2 decimals (~1 km): for search and meetups, never returned by the API.
    area_lat                  numeric(4, 2),
    area_lng                  numeric(5, 2),
    role                      text not null default 'user' check (role in ('user', 'moderator', 'admin')),
    email_verified            boolean not null default false,
    -- Set once the signup grant was posted; the grant runs after verification commits and is retried until then.
    signup_granted            boolean not null default false,
    verification_status       text not null default 'unverified'
                              check (verification_status in ('unverified', 'pending', 'verified', 'rejected')),
    display_name              text not null,
    display_name_generated_at timestamptz not null,
    full_name                 text,
    phone                     text,
    vehicle_description       text,
    created_at                timestamptz not null,
    updated_at                timestamptz not null,
    deleted_at                timestamptz
);
create unique index users_email_unique on users (lower(email));

-- Every display name ever held; a name once given is never given to anyone else (SPEC.md 3.4).
create table display_names (
    name        text not null,
    user_id     uuid not null references users (id),
    assigned_at timestamptz not null
);
create unique index display_names_name_unique on display_names (lower(name));
create index display_names_user on display_names (user_id, assigned_at);

-- Email tokens are stored only as the SHA-256 (hex) of the raw token that was mailed.
create table email_tokens (
    token_hash text primary key,
    user_id    uuid not null references users (id),
    purpose    text not null check (purpose in ('verify', 'reset')),
    -- Resends are rate limited per hour; the token sent at registration does not count against that limit.
    is_resend  boolean not null default false,
    created_at timestamptz not null,
    expires_at timestamptz not null,
    used_at    timestamptz,
    voided     boolean not null default false
);
create index email_tokens_user on email_tokens (user_id, purpose, created_at);

-- Append-only (SPEC.md 3.13): rows never hold passwords, tokens or raw emails.
create table audit_log (
    id          bigint generated always as identity primary key,
    at          timestamptz not null,
    actor_id    uuid,
    action      text not null,
    entity_type text not null,
    entity_id   text not null,
    data        jsonb not null default '{}',
    ip          text
);
create index audit_log_entity on audit_log (entity_type, entity_id, at);

create function audit_log_refuse_change() returns trigger language plpgsql as $$
begin
    raise exception 'audit_log is append-only';
end
$$;
create trigger audit_log_no_update_or_delete before update or delete on audit_log
    for each row execute function audit_log_refuse_change();
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_refuse_change();
