-- TRUNCATE … CASCADE also empties every table that references it.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
TRUNCATE TABLE audit_codes CASCADE; -- expect: truncate-cascade
COMMIT;
