-- Adds a NOT NULL column without a default to a live table.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE users ADD COLUMN phone text NOT NULL; -- expect: required-column
COMMIT;
