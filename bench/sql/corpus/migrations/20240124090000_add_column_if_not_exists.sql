-- Safe rewrite: rerunnable statements outside a transaction.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
ALTER TABLE teams ADD COLUMN IF NOT EXISTS theme text;
CREATE INDEX CONCURRENTLY IF NOT EXISTS teams_theme_idx ON teams (theme);
