-- Item categories (SPEC.md 4.2): a tree of at most three levels, admin-managed, never deleted. The default
-- tree is seeded by the silo on first start (CategorySeeder), so ids are UUIDv7 like every server id.
create table categories (
    id         uuid primary key,
    name       text not null,
    slug       text not null,
    parent_id  uuid references categories (id),
    sort_order integer not null default 0,
    active     boolean not null default true,
    created_at timestamptz not null,
    updated_at timestamptz not null
);
create unique index categories_slug_unique on categories (slug);
-- Sibling names are unique case-insensitively; top-level categories are siblings of each other.
create unique index categories_sibling_name_unique on categories (parent_id, lower(name)) nulls not distinct;
create index categories_parent on categories (parent_id);
