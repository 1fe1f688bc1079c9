-- Search (SPEC.md 5, DESIGN.md 5 and 7a). search_items is a projection written by the ItemGrain after its own state
-- write; the version column lets a late, older write lose against a newer one. Rows of items that left `active`
-- stay as tombstones (status changed) so the version guard keeps working; every query filters on status.
create extension if not exists postgis;   -- installed by the scripts through template1; a no-op here
create extension if not exists pg_trgm;

-- array_to_string is only STABLE (it could format any element type); for text[] it is immutable, which a
-- generated column needs.
create function search_tags_text(tags text[]) returns text language sql immutable parallel safe
    as $$ select array_to_string(tags, ' ') $$;

create table search_items (
    item_id         uuid primary key,
    version         bigint not null,
    owner_id        uuid not null,
    status          text not null,
    title           text not null,
    description     text not null,
    tags            text[] not null default '{}',
    category_id     uuid not null,
    condition       text not null,
    price_minor     bigint not null,
    -- The coarse point (already rounded to 2 decimals by the writer); never returned by the API.
    lat             double precision not null,
    lng             double precision not null,
    point           geography(Point, 4326) generated always as
                    (st_setsrid(st_makepoint(lng, lat), 4326)::geography) stored,
    photo_count     integer not null,
    cover_thumb     text,
    cover_w400      text,
    cover_thumb_webp text,
    cover_w400_webp text,
    general_area    text not null,
    published_at    timestamptz,
    updated_at      timestamptz not null,
    vector          tsvector generated always as (
                        setweight(to_tsvector('english'::regconfig, title), 'A') ||
                        setweight(to_tsvector('english'::regconfig, search_tags_text(tags)), 'B') ||
                        setweight(to_tsvector('english'::regconfig, description), 'C')) stored
);

-- Only active rows are ever searched, so every search index is partial on that predicate.
create index search_items_vector on search_items using gin (vector) where status = 'active';
create index search_items_title_trgm on search_items using gin (lower(title) gin_trgm_ops) where status = 'active';
create index search_items_point on search_items using gist (point) where status = 'active';
create index search_items_newest on search_items (published_at desc, item_id desc) where status = 'active';
create index search_items_price on search_items (price_minor, published_at desc, item_id desc) where status = 'active';
create index search_items_category on search_items (category_id) where status = 'active';
create index search_items_owner on search_items (owner_id);

-- The ranking weights (SPEC.md 5.3): one row, changed only by the SearchSettingsGrain.
create table search_settings (
    id               integer primary key check (id = 1),
    version          bigint not null,
    text_blend       double precision not null,
    w_proximity      double precision not null,
    w_recency        double precision not null,
    w_photo_count    double precision not null,
    w_reputation     double precision not null,
    w_category_match double precision not null,
    w_freshness      double precision not null,
    updated_at       timestamptz not null,
    updated_by       uuid
);
insert into search_settings values (1, 1, 0.5, 0.25, 0.20, 0.15, 0.20, 0.10, 0.10, now(), null);

-- One row per GET /items (SPEC.md 5.5); user_id is cleared after 30 days, rows go after 2 years (3.11).
create table search_log (
    id           uuid primary key,
    at           timestamptz not null,
    q            text not null,
    filters      jsonb not null,
    sort         text not null,
    page         integer not null,
    result_count bigint not null,
    latency_ms   double precision not null,
    user_id      uuid
);
create index search_log_at on search_log (at);
