-- Safe: an index on a table created in the same migration has no readers yet.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
CREATE TABLE sessions (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id bigint NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
COMMIT;
