-- Safe rewrite: a plain domain; the CHECK goes on the table columns instead.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
CREATE DOMAIN money_amount AS numeric;
COMMIT;
