-- Safe: foreign keys declared by CREATE TABLE on a new, empty table.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
CREATE TABLE memberships (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    team_id bigint NOT NULL REFERENCES teams (id),
    user_id bigint NOT NULL REFERENCES users (id)
);
COMMIT;
