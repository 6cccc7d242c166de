-- No lock_timeout or statement_timeout: a blocked ALTER queues every query behind it.
BEGIN;
ALTER TABLE memberships ADD COLUMN role text; -- expect: missing-lock-timeout, missing-statement-timeout
COMMIT;
