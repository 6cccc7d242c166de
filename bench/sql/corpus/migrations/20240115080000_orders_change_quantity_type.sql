-- Changing a column type rewrites the table under an ACCESS EXCLUSIVE lock.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE orders ALTER COLUMN quantity TYPE bigint; -- expect: column-type-change
COMMIT;
