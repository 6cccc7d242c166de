-- Safe rewrite, step 1: the foreign key NOT VALID.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE invoices ADD CONSTRAINT invoices_order_id_fkey FOREIGN KEY (order_id) REFERENCES orders (id) NOT VALID;
COMMIT;
