-- Safe on PostgreSQL 11+: NOT NULL with a constant default is a catalog-only change.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE users ADD COLUMN status text NOT NULL DEFAULT 'active';
COMMIT;
