-- A new column declared UNIQUE also builds an index under the table lock.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE accounts ADD COLUMN handle text UNIQUE; -- expect: unique-constraint
COMMIT;
