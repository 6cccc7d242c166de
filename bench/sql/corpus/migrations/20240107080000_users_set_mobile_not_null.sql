-- SET NOT NULL scans the table under an ACCESS EXCLUSIVE lock.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE users ALTER COLUMN mobile SET NOT NULL; -- expect: set-not-null
COMMIT;
