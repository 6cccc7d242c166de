-- Renaming a column breaks the running application's queries.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
BEGIN;
ALTER TABLE users RENAME COLUMN display_name TO full_name; -- expect: rename-column
COMMIT;
