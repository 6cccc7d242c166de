-- DROP INDEX without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on the table.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
DROP INDEX events_kind_idx; -- expect: drop-index-not-concurrent, non-rerunnable
