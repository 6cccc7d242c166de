-- Another volatile default: random().
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE accounts ADD COLUMN shard double precision DEFAULT random(); -- expect: volatile-default
COMMIT;
