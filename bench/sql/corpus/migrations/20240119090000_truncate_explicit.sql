-- Safe rewrite: name every table to empty; no CASCADE.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
TRUNCATE TABLE audit_codes;
COMMIT;
