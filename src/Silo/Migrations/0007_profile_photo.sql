-- Profile photo (SPEC.md 3.7): the key prefix and size of the stored private photo; its blobs live under
-- private/profiles/{userId}/{sha256}/ and are shown to others only through signed URLs during a held trade.
alter table users add column photo jsonb;
