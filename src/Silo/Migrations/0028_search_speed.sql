-- Search speed (SPEC.md 10: p95 < 50 ms at 100 000 items, also with 8 concurrent clients on 2 cores).

-- Text + radius: the planner multiplies the selectivities of the text match and the radius into an estimate of one
-- row and then uses a single index, so a common word near a city visited every item within the radius (12 000 heap
-- rows for 800 matches, ~25 ms). One GiST index over both columns answers both conditions before the heap is read
-- (the tsvector signatures are lossy: the heap rechecks a few false positives). The point comes first, so a radius
-- without text is served by it as well.
drop index search_items_point;
-- Suggestions no longer read search_items by title (below).
drop index search_items_title_trgm;
create index search_items_point_vector on search_items using gist (point, vector) where status = 'active';

-- Suggestions (SPEC.md 5.5): the distinct titles of active items, with how many active items carry each, and for
-- every title each of its suffixes that starts a word of lower(title). "A word of the title starts with q" is then
-- a range scan of a C-collated btree instead of a trigram recheck of thousands of item rows. Both tables are kept
-- by the statement-level triggers below inside the statement that changes search_items (exact at every snapshot,
-- like search_facet_counts in 0008); items of deleted owners are subtracted at query time.
--
-- Similarity uses a bound: similarity(a, b) = |common| / |union| <= |trigrams(q)| / |trigrams(title)|, so a title
-- can reach the threshold (0.3, show_limit()) only when it has at most |trigrams(q)| / 0.3 trigrams. A GIN index
-- over the trigram count (btree_gin) and the trigrams checks both before the heap: a 3-letter q is similar to a
-- handful of short titles, not to the 800 that share one of its trigrams.
create extension if not exists btree_gin;   -- trusted: the owner role may create it
create table search_titles (
    title    text primary key,
    -- No check (items > 0): a proposed insert row carries the delta, negative for a title losing items, and the
    -- check would refuse it before ON CONFLICT turns it into an update. A row at 0 goes within its statement.
    items    bigint not null,
    trigrams integer generated always as (array_length(show_trgm(lower(title)), 1)) stored
);
create index search_titles_similar on search_titles using gin (trigrams, lower(title) gin_trgm_ops);

create table search_title_suffixes (
    suffix text collate "C" not null,
    title  text not null,
    primary key (suffix, title)
);

-- The suffixes of lower(title) that begin where the regex \m matches: a word character (alnum or underscore) that
-- is the first character or follows a non-word character.
create function search_title_word_suffixes(title text) returns setof text language sql immutable parallel safe as $$
    select substr(t, i) from lower(title) t, generate_series(1, length(t)) i
    where substr(t, i, 1) ~ '\w' and (i = 1 or substr(t, i - 1, 1) ~ '\W')
$$;

-- Applies one statement's change in active items per title (titles sorted, so concurrent writers lock the same rows
-- in the same order). A title's suffixes are added when it has gained items (a no-op when it was already there)
-- and removed with the title once no active item carries it.
create function search_titles_change(titles text[], deltas bigint[]) returns void language plpgsql as $$
begin
    insert into search_titles as t (title, items)
    select d.title, d.delta from unnest(titles, deltas) d(title, delta) order by d.title
    on conflict (title) do update set items = t.items + excluded.items;

    insert into search_title_suffixes (suffix, title)
    select w.suffix, d.title from unnest(titles, deltas) d(title, delta), search_title_word_suffixes(d.title) w(suffix)
    where d.delta > 0
    on conflict do nothing;

    with gone as (delete from search_titles t where t.title = any(titles) and t.items <= 0 returning t.title)
    delete from search_title_suffixes x using gone, search_title_word_suffixes(gone.title) w(suffix)
    where x.title = gone.title and x.suffix = w.suffix;
end $$;

create function search_titles_apply() returns trigger language plpgsql as $$
declare
    titles text[];
    deltas bigint[];
begin
    if tg_op = 'INSERT' then
        select array_agg(title order by title), array_agg(n order by title) into titles, deltas
        from (select title, count(*) as n from new_rows where status = 'active' group by title) d;
    elsif tg_op = 'UPDATE' then
        select array_agg(title order by title), array_agg(n order by title) into titles, deltas
        from (select title, sum(delta) as n from (
                  select title, 1 as delta from new_rows where status = 'active'
                  union all
                  select title, -1 from old_rows where status = 'active') c
              group by title having sum(delta) <> 0) d;
    else
        select array_agg(title order by title), array_agg(-n order by title) into titles, deltas
        from (select title, count(*) as n from old_rows where status = 'active' group by title) d;
    end if;
    if titles is not null then perform search_titles_change(titles, deltas); end if;
    return null;
end $$;

create trigger search_titles_insert after insert on search_items
    referencing new table as new_rows for each statement execute function search_titles_apply();
create trigger search_titles_update after update on search_items
    referencing old table as old_rows new table as new_rows for each statement execute function search_titles_apply();
create trigger search_titles_delete after delete on search_items
    referencing old table as old_rows for each statement execute function search_titles_apply();

-- The triggers above hold search_items' write lock until this migration commits, so the backfill misses no write.
select search_titles_change(array_agg(title order by title), array_agg(n order by title))
from (select title, count(*) as n from search_items where status = 'active' group by title) d;
