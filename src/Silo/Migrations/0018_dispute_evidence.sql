-- The blob prefixes of a dispute's evidence images (opener's and answer's), so the daily blob cleanup can tell
-- evidence a dispute keeps from images stored by a request that was then refused (SPEC.md 4.5, 6.8).
alter table disputes add column evidence_prefixes text[] not null default '{}';
