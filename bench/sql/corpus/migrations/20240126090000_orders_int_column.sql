-- A 32-bit counter added to a live table.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE orders ADD COLUMN retries int; -- expect: int32-column
COMMIT;
