-- A second BEGIN inside an open transaction (the migration runner already wraps files).
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE teams ADD COLUMN description text;
BEGIN; -- expect: transaction-nesting
ALTER TABLE teams ADD COLUMN archived_at timestamptz;
COMMIT;
COMMIT; -- expect: transaction-nesting
