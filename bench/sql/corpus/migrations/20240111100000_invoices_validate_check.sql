-- Safe rewrite, step 2: validate it in a later migration.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE invoices VALIDATE CONSTRAINT invoices_line_count_positive;
COMMIT;
