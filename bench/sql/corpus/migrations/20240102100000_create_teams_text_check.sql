-- Safe rewrite of varchar(n)/char(n): text with a CHECK on the length.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
CREATE TABLE teams (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug text NOT NULL CHECK (char_length(slug) <= 64),
    country text CHECK (char_length(country) = 2),
    created_at timestamptz NOT NULL DEFAULT now()
);
COMMIT;
