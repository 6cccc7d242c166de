-- Safe rewrite (PostgreSQL 12+): REINDEX CONCURRENTLY.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
REINDEX INDEX CONCURRENTLY users_email_key;
