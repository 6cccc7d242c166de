-- statement_timeout alone does not bound the wait for the lock.
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE memberships ADD COLUMN invited_by bigint; -- expect: missing-lock-timeout
COMMIT;
