-- Safe rewrite of a volatile default: nullable column, default for new rows, backfill in batches elsewhere.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE users ADD COLUMN external_ref uuid;
ALTER TABLE users ALTER COLUMN external_ref SET DEFAULT gen_random_uuid();
COMMIT;
