-- A DSR delete (SPEC.md 3.10) removes the comment texts its user wrote; the ratings stay. Feedback is immutable for
-- the runtime role (0014, RuntimeGrants.sql), so this owner-run function is its only way to change a row: it clears
-- comments, of one author, and nothing else.
create function erase_feedback_comments(author uuid) returns integer
language sql security definer set search_path = public, pg_temp as $$
    with erased as (update feedback set comment = null where author_id = author and comment is not null returning 1)
    select count(*)::int from erased;
$$;
revoke all on function erase_feedback_comments(uuid) from public;

-- The delete also clears the user id from their search log rows, as the 30-day retention does for everyone (3.11).
create index search_log_user on search_log (user_id) where user_id is not null;
