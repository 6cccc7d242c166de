-- Safe rewrite, step 2: validate in its own migration.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE invoices VALIDATE CONSTRAINT invoices_order_id_fkey;
COMMIT;
