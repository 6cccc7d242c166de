-- NOT VALID then VALIDATE in one transaction holds the ACCESS EXCLUSIVE lock through the scan.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE orders ADD CONSTRAINT orders_priority_range CHECK (priority BETWEEN 0 AND 9) NOT VALID;
ALTER TABLE orders VALIDATE CONSTRAINT orders_priority_range; -- expect: constraint-not-valid
COMMIT;
