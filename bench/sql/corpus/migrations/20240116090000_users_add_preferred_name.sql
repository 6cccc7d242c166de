-- Safe rewrite of a rename: add the new column; the app writes both; drop the old one much later.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE users ADD COLUMN preferred_name text;
COMMIT;
