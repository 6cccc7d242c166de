-- A CONCURRENTLY build that fails leaves an invalid index; the rerun fails on its name.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
CREATE INDEX CONCURRENTLY memberships_user_id_idx ON memberships (user_id); -- expect: non-rerunnable
