-- A new column with an inline REFERENCES adds a validated foreign key.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE events ADD COLUMN user_id bigint REFERENCES users (id); -- expect: foreign-key
COMMIT;
