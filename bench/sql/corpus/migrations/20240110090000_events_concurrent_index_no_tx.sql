-- Safe rewrite: the same index, no transaction block.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
CREATE INDEX CONCURRENTLY IF NOT EXISTS events_occurred_at_idx ON events (occurred_at);
