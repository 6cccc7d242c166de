-- Events keyed by bigserial (a sequence owned by the column, not an identity).
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
CREATE TABLE events (
    id bigserial PRIMARY KEY, -- expect: serial-column
    kind text NOT NULL,
    payload jsonb,
    occurred_at timestamptz NOT NULL DEFAULT now()
);
COMMIT;
