-- Safe rewrite of SET NOT NULL, step 1: a CHECK added NOT VALID (no scan).
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE users ADD CONSTRAINT users_display_name_not_null CHECK (display_name IS NOT NULL) NOT VALID;
COMMIT;
