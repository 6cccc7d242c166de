-- Adding a constraint to a domain scans every table that uses it.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER DOMAIN positive_amount ADD CONSTRAINT positive_amount_max CHECK (VALUE < 1000000); -- expect: domain-add-constraint
COMMIT;
