-- Adding a primary key builds its index under an ACCESS EXCLUSIVE lock.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE audit_codes ADD COLUMN ext_id bigint;
ALTER TABLE audit_codes DROP CONSTRAINT audit_codes_pkey;
ALTER TABLE audit_codes ADD PRIMARY KEY (ext_id); -- expect: primary-key-without-index
COMMIT;
