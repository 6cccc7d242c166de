-- Safe: comments and grants.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
COMMENT ON TABLE payments IS 'Settled payments, one per invoice instalment';
GRANT SELECT ON payments TO reporting;
COMMIT;
