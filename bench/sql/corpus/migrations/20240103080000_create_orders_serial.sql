-- Orders keyed by serial, with 32-bit and 16-bit integers and a timestamp without time zone.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
CREATE TABLE orders (
    id serial PRIMARY KEY, -- expect: serial-column, int32-column
    user_id bigint NOT NULL,
    quantity integer NOT NULL, -- expect: int32-column
    priority smallint NOT NULL DEFAULT 0, -- expect: int16-column
    placed_at timestamp NOT NULL -- expect: timestamp-without-tz
);
COMMIT;
