-- Accounts with length-limited columns (varchar(n) and char(n)).
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
CREATE TABLE accounts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug varchar(64) NOT NULL, -- expect: varchar-length
    country char(2), -- expect: char-column
    created_at timestamptz NOT NULL DEFAULT now()
);
COMMIT;
