-- Safe: dropping a view holds no data.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
DROP VIEW IF EXISTS audit_code_list;
COMMIT;
