-- A varchar(n) column added to a live table.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE orders ADD COLUMN coupon varchar(32); -- expect: varchar-length
COMMIT;
