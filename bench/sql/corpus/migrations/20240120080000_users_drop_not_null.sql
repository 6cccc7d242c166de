-- DROP NOT NULL lets NULLs reach code that assumes the column is always set.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE users ALTER COLUMN email DROP NOT NULL; -- expect: drop-not-null
COMMIT;
