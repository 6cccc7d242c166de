-- Safe rewrite, step 1: build the unique index concurrently.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS teams_slug_key ON teams (slug);
