-- Safe rewrite of a type change: a new column, filled by a trigger and a batched backfill elsewhere.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE orders ADD COLUMN quantity_v2 bigint;
COMMIT;
