-- Renaming a table breaks the running application's queries.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE events RENAME TO activity_events; -- expect: rename-table
COMMIT;
