-- Outside a transaction, a failed run leaves half the work done; the rerun fails on ADD COLUMN.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
ALTER TABLE teams ADD COLUMN logo_url text; -- expect: non-rerunnable
ALTER TABLE teams ADD COLUMN banner_url text; -- expect: non-rerunnable
