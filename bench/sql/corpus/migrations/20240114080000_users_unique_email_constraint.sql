-- A UNIQUE constraint builds its index under an ACCESS EXCLUSIVE lock.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE users ADD CONSTRAINT users_phone_key UNIQUE (phone); -- expect: unique-constraint
COMMIT;
