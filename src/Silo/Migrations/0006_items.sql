-- Items (SPEC.md 4). The items table is the source of truth for listings; the ItemGrain is its single writer
-- (optimistic on `version`, so a duplicate activation cannot overwrite a newer row) and caches the row. Owner
-- lists and the moderation queue query it directly; search reads its own projection (search_items).
create table items (
    id                uuid primary key,
    owner_id          uuid not null references users (id),
    status            text not null check (status in ('draft', 'active', 'reserved', 'traded', 'archived', 'pending_review')),
    title             text not null,
    description       text not null,
    category_id       uuid not null references categories (id),
    condition         text not null check (condition in ('new', 'like_new', 'good', 'fair', 'poor')),
    price_minor       bigint not null check (price_minor between 100 and 10000000),
    tags              text[] not null default '{}',
    attributes        jsonb not null default '{}',
    known_issues      text not null default '',
    general_area      text not null,
    -- The owner's coarse area point (2 decimals) at creation/publish: for search only, never returned.
    area_lat          numeric(4, 2),
    area_lng          numeric(5, 2),
    photos            jsonb not null default '[]',
    photos_purged     boolean not null default false,
    needs_review      boolean not null default false,
    review_reason     text,
    safety_check      jsonb,
    reserved_by_trade uuid,
    version           bigint not null,
    created_at        timestamptz not null,
    updated_at        timestamptz not null,
    published_at      timestamptz,
    status_changed_at timestamptz not null
);
create index items_owner on items (owner_id, id desc);
create index items_review_queue on items (status_changed_at, id) where status = 'pending_review' or needs_review;
create index items_owner_active on items (owner_id, published_at desc, id desc) where status = 'active';
