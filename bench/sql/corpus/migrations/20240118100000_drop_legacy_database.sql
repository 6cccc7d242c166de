-- Dropping a database.
SET lock_timeout = '2s';
SET statement_timeout = '60s';
DROP DATABASE legacy_reporting; -- expect: drop-database
