-- Safe rewrite, step 2: attach the built index as a constraint (catalog-only).
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE teams ADD CONSTRAINT teams_slug_unique UNIQUE USING INDEX teams_slug_key;
COMMIT;
