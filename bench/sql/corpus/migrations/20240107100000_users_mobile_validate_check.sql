-- Safe rewrite of SET NOT NULL, step 2: validate in its own migration (SHARE UPDATE EXCLUSIVE).
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE users VALIDATE CONSTRAINT users_display_name_not_null;
COMMIT;
