-- Dropping a table loses data and breaks readers.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
DROP TABLE sessions; -- expect: drop-table
COMMIT;
