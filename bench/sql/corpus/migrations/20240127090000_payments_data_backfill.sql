-- Safe: a data migration in one transaction.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
UPDATE payments SET currency = 'EUR' WHERE currency = 'eur';
INSERT INTO audit_codes (code) VALUES ('payments-backfill');
COMMIT;
