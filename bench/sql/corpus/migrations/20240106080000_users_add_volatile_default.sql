-- A volatile default rewrites the whole table.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE users ADD COLUMN public_id uuid DEFAULT gen_random_uuid(); -- expect: volatile-default
COMMIT;
