-- A plain unique index on a live table, inside a transaction.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
CREATE UNIQUE INDEX invoices_order_id_key ON invoices (order_id); -- expect: index-not-concurrent
COMMIT;
