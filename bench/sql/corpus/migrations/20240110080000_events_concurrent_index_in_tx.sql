-- CONCURRENTLY cannot run inside a transaction block.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
CREATE INDEX CONCURRENTLY events_occurred_at_idx ON events (occurred_at); -- expect: concurrent-in-transaction
COMMIT;
