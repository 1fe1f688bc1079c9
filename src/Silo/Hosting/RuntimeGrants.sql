-- What the runtime role (the silo's and API's ConnectionStrings:Postgres user) may do, re-applied by every migrate so
-- that a new table is covered and nothing granted by hand survives. {role} is the quoted role name. The role owns
-- nothing, so it can neither run DDL nor disable a trigger; ledger balances move only through the SECURITY DEFINER
-- entry triggers of migrations 0010 and 0030.
revoke all on all tables in schema public, ledger from {role};
revoke all on all sequences in schema public, ledger from {role};
revoke all on schema ledger from {role};
revoke create on schema public from {role};
grant usage on schema public, ledger to {role};

-- Application state (users, items, search, Orleans grain state and reminders): the grains' own rows.
grant select, insert, update, delete on all tables in schema public to {role};
grant usage, select on all sequences in schema public to {role};
-- Append-only and read-only tables (SPEC.md 3.13, feedback is immutable by 6.9; the migrator's own record).
revoke update, delete on audit_log, feedback, schema_migrations, orleansquery from {role};
revoke insert on schema_migrations, orleansquery from {role};

-- The ledger: read, and append postings. Holds are opened and closed (their trigger allows open -> closed once).
grant select on all tables in schema ledger to {role};
grant insert on ledger.accounts, ledger.transactions, ledger.holds to {role};
-- Entries take their id from the identity, in insertion order (0030): the id column is not the role's to choose.
grant insert (transaction_id, account_id, amount, balance_after, created_at) on ledger.entries to {role};
grant update (status, closed_at) on ledger.holds to {role};
-- Group commit locks a batch's accounts up front, in id order (0025).
grant execute on function ledger.lock_accounts(uuid[]) to {role};
-- Safe zones are deactivated, never deleted (a trade's pick keeps pointing at its zone).
revoke delete on safe_zones from {role};
-- Conversions are financial records: they change status (their trigger allows SPEC.md 7.3's moves) and are never
-- deleted; handled partner events are only appended (0024).
revoke delete on conversions, custody_events from {role};
revoke update on custody_events from {role};
-- Retention (0020): feedback and old audit rows leave only through these owner-run functions, which choose the rows
-- themselves (older than 7 years by the database's clock).
grant execute on function retention_purge_trade(uuid), retention_delete_expired_audit(integer) to {role};
-- A DSR delete clears its user's feedback comments through this owner-run function (0021).
grant execute on function erase_feedback_comments(uuid) to {role};
