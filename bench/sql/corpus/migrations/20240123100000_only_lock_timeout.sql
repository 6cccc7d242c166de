-- lock_timeout alone does not bound the statement once it holds the lock.
SET lock_timeout = '2s';
BEGIN;
ALTER TABLE memberships ADD COLUMN joined_at timestamptz; -- expect: missing-statement-timeout
COMMIT;
