-- A plain CREATE INDEX on a live table blocks writes.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
CREATE INDEX orders_user_id_idx ON orders (user_id); -- expect: index-not-concurrent, non-rerunnable
