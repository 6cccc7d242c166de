-- A foreign key added without NOT VALID locks both tables and scans orders.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE orders ADD CONSTRAINT orders_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id); -- expect: foreign-key, constraint-not-valid
COMMIT;
