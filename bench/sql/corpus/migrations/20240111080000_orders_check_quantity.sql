-- A CHECK added without NOT VALID scans the table under an ACCESS EXCLUSIVE lock.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE orders ADD CONSTRAINT orders_quantity_positive CHECK (quantity > 0); -- expect: constraint-not-valid
COMMIT;
