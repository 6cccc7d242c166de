-- Safe rewrite, step 1: add the CHECK NOT VALID.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE invoices ADD CONSTRAINT invoices_line_count_positive CHECK (line_count > 0) NOT VALID;
COMMIT;
