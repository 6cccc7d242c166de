-- Safe rewrite: CREATE INDEX CONCURRENTLY, outside a transaction, rerunnable.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
CREATE INDEX CONCURRENTLY IF NOT EXISTS events_kind_idx ON events (kind);
