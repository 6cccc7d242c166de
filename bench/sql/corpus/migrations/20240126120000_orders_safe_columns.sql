-- Safe rewrite of the three above: bigint, timestamptz, text with a length CHECK added NOT VALID.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE orders ADD COLUMN retry_count bigint;
ALTER TABLE orders ADD COLUMN delivered_at timestamptz;
ALTER TABLE orders ADD COLUMN voucher text;
ALTER TABLE orders ADD CONSTRAINT orders_voucher_length CHECK (char_length(voucher) <= 32) NOT VALID;
COMMIT;
