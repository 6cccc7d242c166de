-- Dropping a column breaks readers that still select it.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE users DROP COLUMN mobile; -- expect: drop-column
COMMIT;
