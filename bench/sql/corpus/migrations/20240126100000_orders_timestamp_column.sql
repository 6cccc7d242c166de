-- A timestamp without time zone added to a live table.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE orders ADD COLUMN shipped_at timestamp without time zone; -- expect: timestamp-without-tz
COMMIT;
