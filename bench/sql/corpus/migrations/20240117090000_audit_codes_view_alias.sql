-- Safe rewrite of a table rename: expose the new name as a view first.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
CREATE VIEW audit_code_list AS SELECT id, code FROM audit_codes;
COMMIT;
