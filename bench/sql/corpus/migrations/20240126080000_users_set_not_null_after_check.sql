-- Safe rewrite of SET NOT NULL, step 3 (PostgreSQL 12+): the validated CHECK proves it, no scan; then drop the CHECK.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE users ALTER COLUMN display_name SET NOT NULL;
ALTER TABLE users DROP CONSTRAINT users_display_name_not_null;
COMMIT;
