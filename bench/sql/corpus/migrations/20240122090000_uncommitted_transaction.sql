-- BEGIN without COMMIT: the runner's session is left inside an open transaction.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN; -- expect: uncommitted-transaction
ALTER TABLE teams ADD COLUMN website text;
