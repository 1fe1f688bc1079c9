-- The daily job deletes quotes that were never executed a day after they expired (QuoteRetention); executed quotes
-- stay with their conversions forever, so the delete must not scan them.
create index conversion_quotes_unused_by_expiry on conversion_quotes (expires_at) where used_at is null;
