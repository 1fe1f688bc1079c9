-- Search performance (SPEC.md 5.4, 10). A search without any filter needs facets over every active item: counting
-- 100 000 rows on each request cost ~95 ms. search_facet_counts keeps those counts per (category, condition, price
-- bucket) cell, maintained inside the same statement that changes search_items, so it is exact at every snapshot:
-- a write the version guard refuses changes no row and fires no delta; a tombstone (status left 'active') moves
-- its row out of the counts. Owners deleted while their items are still active are subtracted at query time
-- (users_deleted below keeps that cheap).

-- The price bucket of SPEC.md 5.4: 0 = [0, 1 000) ... 7 = [100 000, ∞); SearchSql.PriceBuckets holds the same bounds.
create function search_price_bucket(price_minor bigint) returns integer language sql immutable parallel safe
    as $$ select width_bucket(price_minor, array[1000, 2500, 5000, 10000, 25000, 50000, 100000]::bigint[]) $$;

create table search_facet_counts (
    category_id  uuid not null,
    condition    text not null,
    price_bucket integer not null,
    count        bigint not null,
    primary key (category_id, condition, price_bucket)
);

-- Statement-level, so a COPY or a bulk rebuild applies one aggregated delta per cell instead of one per row. Cells
-- are changed in key order, so two writers touching the same cells cannot deadlock.
create function search_facet_counts_apply() returns trigger language plpgsql as $$
begin
    if tg_op = 'INSERT' then
        insert into search_facet_counts as c (category_id, condition, price_bucket, count)
        select category_id, condition, search_price_bucket(price_minor), count(*)
        from new_rows where status = 'active'
        group by 1, 2, 3 order by 1, 2, 3
        on conflict (category_id, condition, price_bucket) do update set count = c.count + excluded.count;
    elsif tg_op = 'UPDATE' then
        insert into search_facet_counts as c (category_id, condition, price_bucket, count)
        select category_id, condition, bucket, sum(delta) from (
            select category_id, condition, search_price_bucket(price_minor) as bucket, 1 as delta
            from new_rows where status = 'active'
            union all
            select category_id, condition, search_price_bucket(price_minor), -1
            from old_rows where status = 'active') d
        group by 1, 2, 3 having sum(delta) <> 0 order by 1, 2, 3
        on conflict (category_id, condition, price_bucket) do update set count = c.count + excluded.count;
    else
        insert into search_facet_counts as c (category_id, condition, price_bucket, count)
        select category_id, condition, search_price_bucket(price_minor), -count(*)
        from old_rows where status = 'active'
        group by 1, 2, 3 order by 1, 2, 3
        on conflict (category_id, condition, price_bucket) do update set count = c.count + excluded.count;
    end if;
    return null;
end $$;

create trigger search_facet_counts_insert after insert on search_items
    referencing new table as new_rows for each statement execute function search_facet_counts_apply();
create trigger search_facet_counts_update after update on search_items
    referencing old table as old_rows new table as new_rows for each statement execute function search_facet_counts_apply();
create trigger search_facet_counts_delete after delete on search_items
    referencing old table as old_rows for each statement execute function search_facet_counts_apply();

-- The triggers above hold search_items' write lock until this migration commits, so the backfill misses no write.
insert into search_facet_counts (category_id, condition, price_bucket, count)
select category_id, condition, search_price_bucket(price_minor), count(*)
from search_items where status = 'active'
group by 1, 2, 3;

-- Deleted owners are few; the unfiltered facets subtract their still-active items.
create index users_deleted on users (id) where deleted_at is not null;
