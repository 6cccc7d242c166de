-- REINDEX without CONCURRENTLY blocks writes (and reads that use the index).
SET lock_timeout = '2s';
SET statement_timeout = '60s';
REINDEX INDEX users_email_key; -- expect: reindex-not-concurrent
