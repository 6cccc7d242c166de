-- A new table written the safe way throughout.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
CREATE TABLE payments (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    invoice_id bigint NOT NULL REFERENCES invoices (id),
    amount numeric(12, 2) NOT NULL CHECK (amount > 0),
    currency text NOT NULL CHECK (char_length(currency) = 3),
    paid_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX payments_invoice_id_idx ON payments (invoice_id);
COMMIT;
