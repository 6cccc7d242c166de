-- Safe rewrite: DROP INDEX CONCURRENTLY IF EXISTS.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
DROP INDEX CONCURRENTLY IF EXISTS orders_user_id_idx;
