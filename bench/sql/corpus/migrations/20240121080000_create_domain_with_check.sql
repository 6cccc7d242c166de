-- A domain with a constraint: later changes to it are validated against every column using it.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
CREATE DOMAIN positive_amount AS numeric CHECK (VALUE > 0); -- expect: domain-with-constraint
COMMIT;
