-- Audit codes keyed by smallserial.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
CREATE TABLE audit_codes (
    id smallserial PRIMARY KEY, -- expect: serial-column, int16-column
    code text NOT NULL
);
COMMIT;
