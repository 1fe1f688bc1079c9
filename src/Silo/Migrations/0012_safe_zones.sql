-- Safe zones (SPEC.md 6.4, 8.6): public meeting places managed by admins. Never deleted: a zone a trade has picked
-- is deactivated instead, so the trade's pick stays readable. Tests start with an empty table; the local run seeds
-- zones through the silo's seed-safe-zones command, not here.
create table safe_zones (
    id            uuid primary key,
    name          text not null check (char_length(name) between 3 and 100),
    address       text not null check (char_length(address) between 5 and 200),
    lat           double precision not null check (lat between -90 and 90),
    lng           double precision not null check (lng between -180 and 180),
    point         geography(Point, 4326) generated always as (st_setsrid(st_makepoint(lng, lat), 4326)::geography) stored,
    tier          integer not null check (tier between 1 and 4),
    kind          text not null,
    open24h       boolean not null,
    daylight_only boolean not null,
    active        boolean not null,
    created_at    timestamptz not null,
    updated_at    timestamptz not null
);

-- Recommendations only ever look at active zones around a point; the admin list pages newest first, optionally
-- around a point, so it has the full point index and the paging order.
create index safe_zones_active_point on safe_zones using gist (point) where active;
create index safe_zones_point on safe_zones using gist (point);
create index safe_zones_newest on safe_zones (created_at desc, id desc);
