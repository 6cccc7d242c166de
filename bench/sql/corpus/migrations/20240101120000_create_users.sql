-- Initial schema: users.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL,
    display_name text,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (email);
COMMIT;
