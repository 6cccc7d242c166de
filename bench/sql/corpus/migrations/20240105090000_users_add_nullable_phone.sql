-- Safe rewrite: add the column nullable; backfill and constrain later.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE users ADD COLUMN mobile text;
COMMIT;
