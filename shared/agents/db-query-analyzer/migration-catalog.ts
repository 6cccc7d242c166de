/**
 * Migration-safety rules (MIG0xx) of db-query-analyzer, as data: what a DDL
 * statement does to a table that already holds rows and serves traffic —
 * which lock it takes, for how long (a table rewrite, a full scan, an index
 * build) — and the safe rewrite as a recipe of steps. The checks are in
 * migration-rules.ts; rules.ts joins these rows into the agent's catalog.
 *
 * Which files: every `.sql` file given is read as a migration, statement by
 * statement in order. A table the same file creates is new and empty, so no
 * statement on it is reported (a schema file or a dump stays quiet); the
 * hazards are statements on tables that existed before the file ran.
 */

import type { RuleSample } from '../scan/catalog.js';
import { defineRules } from '../scan/catalog.js';

/** The PostgreSQL major version assumed when the input's `options.postgresVersion` is not given. */
export const DEFAULT_POSTGRES_VERSION = 16;

function migration(lines: readonly string[], line?: number, why?: string): RuleSample {
  return {
    path: 'migrations/20260501120000_change.sql',
    content: lines.join('\n'),
    ...(line === undefined ? {} : { line }),
    ...(why === undefined ? {} : { why }),
  };
}

/** `options.postgresVersion` samples: the agent's JSON input. */
function migrationInput(lines: readonly string[], postgresVersion: number, why: string): RuleSample {
  return { input: { sql: lines.join('\n'), options: { postgresVersion } }, why };
}

const TIMEOUT = "SET lock_timeout = '5s';";

export const MIGRATION_RULES = defineRules('db-query-analyzer', [
  {
    id: 'MIG001',
    severity: 'high',
    category: 'reliability',
    title: 'NOT NULL column added without a default',
    description:
      'ALTER TABLE … ADD COLUMN … NOT NULL without a DEFAULT takes an ACCESS EXCLUSIVE lock and fails with ' +
      '"column contains null values" as soon as the table has one row: the migration works on an empty ' +
      'development database and breaks in production.',
    remediation:
      'Add it in steps: (1) `ADD COLUMN col type NULL`; (2) deploy code that writes it; (3) backfill existing ' +
      'rows in batches by key range; (4) `ADD CONSTRAINT col_not_null CHECK (col IS NOT NULL) NOT VALID`; ' +
      '(5) `VALIDATE CONSTRAINT col_not_null` (SHARE UPDATE EXCLUSIVE: reads and writes go on); (6) `ALTER ' +
      'COLUMN col SET NOT NULL` (PostgreSQL ≥ 12 uses the validated check, no scan); (7) drop the check. ' +
      'Or give it a non-volatile DEFAULT (fast from PostgreSQL 11).',
    samples: {
      bad: [migration([TIMEOUT, 'ALTER TABLE orders ADD COLUMN region text NOT NULL;'], 2)],
      good: [
        migration([TIMEOUT, 'ALTER TABLE orders ADD COLUMN region text;'], undefined, 'step 1: nullable'),
        migration([TIMEOUT, "ALTER TABLE orders ADD COLUMN region text NOT NULL DEFAULT 'eu';"]),
      ],
    },
  },
  {
    id: 'MIG002',
    severity: 'high',
    category: 'performance',
    title: 'Column added with a default that rewrites the table',
    description:
      'ADD COLUMN with a volatile DEFAULT (clock_timestamp(), random(), gen_random_uuid(), nextval(), a ' +
      'serial type; now() and CURRENT_TIMESTAMP are stable, not volatile) rewrites every row of the table under an ACCESS EXCLUSIVE lock: no reads or writes for ' +
      'as long as the rewrite takes. Before PostgreSQL 11 any DEFAULT rewrites; from 11 a constant or stable ' +
      'default is stored in the catalog and the statement is instant (`options.postgresVersion`, default 16).',
    remediation:
      'Add the column without the default (or with a constant one), set the default for new rows with ' +
      '`ALTER COLUMN col SET DEFAULT …` (catalog only), then backfill existing rows in batches by key range.',
    samples: {
      bad: [
        migration([TIMEOUT, 'ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();'], 2),
        migrationInput(
          [TIMEOUT, "ALTER TABLE orders ADD COLUMN region text DEFAULT 'eu';"],
          10,
          'PostgreSQL 10 rewrites for any default',
        ),
      ],
      good: [
        migration([
          TIMEOUT,
          'ALTER TABLE orders ADD COLUMN token uuid;',
          'ALTER TABLE orders ALTER COLUMN token SET DEFAULT gen_random_uuid();',
        ]),
        migrationInput(
          [TIMEOUT, "ALTER TABLE orders ADD COLUMN region text DEFAULT 'eu';"],
          11,
          'a constant default is instant from PostgreSQL 11',
        ),
      ],
    },
  },
  {
    id: 'MIG003',
    severity: 'high',
    category: 'reliability',
    title: 'CREATE INDEX without CONCURRENTLY',
    description:
      'CREATE INDEX takes a SHARE lock on the table for the whole build: reads go on, but every INSERT, ' +
      'UPDATE and DELETE waits until the index is built, which on a large table takes minutes.',
    remediation:
      'Use `CREATE INDEX CONCURRENTLY` (SHARE UPDATE EXCLUSIVE: writes go on), outside a transaction block; ' +
      'if it fails it leaves an INVALID index: drop it (`DROP INDEX CONCURRENTLY`) and run it again.',
    samples: {
      bad: [migration(['CREATE INDEX orders_placed_at_idx ON orders (placed_at);'], 1)],
      good: [
        migration(['CREATE INDEX CONCURRENTLY orders_placed_at_idx ON orders (placed_at);']),
        migration(
          [
            'CREATE TABLE refunds (id bigint PRIMARY KEY, order_id bigint);',
            'CREATE INDEX ON refunds (order_id);',
          ],
          undefined,
          'a table created in the same file is empty',
        ),
      ],
    },
  },
  {
    id: 'MIG004',
    severity: 'medium',
    category: 'reliability',
    title: 'DROP INDEX or REINDEX without CONCURRENTLY',
    description:
      'DROP INDEX takes an ACCESS EXCLUSIVE lock on the index’s table (no reads or writes), REINDEX a SHARE ' +
      'lock on the table and an ACCESS EXCLUSIVE lock on the index (queries that would use it wait) for the ' +
      'whole rebuild; behind a long query the lock queue blocks everything.',
    remediation:
      'Use `DROP INDEX CONCURRENTLY` and `REINDEX INDEX CONCURRENTLY` (PostgreSQL ≥ 12), each alone, outside ' +
      'a transaction block.',
    samples: {
      bad: [migration(['DROP INDEX orders_placed_at_idx;'], 1), migration(['REINDEX INDEX orders_pkey;'], 1)],
      good: [
        migration(['DROP INDEX CONCURRENTLY orders_placed_at_idx;']),
        migration(['REINDEX INDEX CONCURRENTLY orders_pkey;']),
      ],
    },
  },
  {
    id: 'MIG005',
    severity: 'high',
    category: 'correctness',
    title: 'CONCURRENTLY inside a transaction block',
    description:
      'CREATE INDEX / DROP INDEX / REINDEX … CONCURRENTLY cannot run inside a transaction block: PostgreSQL ' +
      'rejects it ("cannot run inside a transaction block") and the migration fails. Tools that wrap each ' +
      'migration in a transaction need it marked as non-transactional.',
    remediation:
      'Move the statement out of BEGIN … COMMIT, into a migration of its own that the tool runs without a ' +
      'transaction (Rails `disable_ddl_transaction!`, Flyway `executeInTransaction=false`, golang-migrate ' +
      'one statement per file).',
    samples: {
      bad: [
        migration(
          ['BEGIN;', 'CREATE INDEX CONCURRENTLY orders_placed_at_idx ON orders (placed_at);', 'COMMIT;'],
          2,
        ),
      ],
      good: [migration(['CREATE INDEX CONCURRENTLY orders_placed_at_idx ON orders (placed_at);'])],
    },
  },
  {
    id: 'MIG006',
    severity: 'high',
    category: 'performance',
    title: 'Column type changed',
    description:
      'ALTER COLUMN … TYPE takes an ACCESS EXCLUSIVE lock and, for most changes (int → bigint, text → ' +
      'integer, a USING expression), rewrites the table and rebuilds its indexes: no reads or writes until ' +
      'it finishes. Running code that reads the old type may also break.',
    remediation:
      'Add a new column of the new type; write both from the application (or a trigger); backfill the new ' +
      'column in batches; switch reads to it; then drop the old column (and rename, in a later release). ' +
      'Changes that need no rewrite (varchar(n) → text, a longer varchar) are catalog-only.',
    samples: {
      bad: [migration([TIMEOUT, 'ALTER TABLE orders ALTER COLUMN total_cents TYPE numeric(12, 2);'], 2)],
      good: [migration([TIMEOUT, 'ALTER TABLE orders ADD COLUMN total numeric(12, 2);'])],
    },
  },
  {
    id: 'MIG007',
    severity: 'medium',
    category: 'reliability',
    title: 'Foreign key or CHECK constraint validated while added',
    description:
      'ADD CONSTRAINT … FOREIGN KEY / CHECK without NOT VALID checks every existing row while holding the ' +
      'lock: a foreign key takes SHARE ROW EXCLUSIVE on both tables (writes to either wait for the full ' +
      'scan), a CHECK takes ACCESS EXCLUSIVE on the table (reads wait too). A REFERENCES written on an ' +
      'added column counts too.',
    remediation:
      'Add it in two steps: (1) `ADD CONSTRAINT … NOT VALID` (brief lock; new rows are checked from then ' +
      'on); (2) `ALTER TABLE … VALIDATE CONSTRAINT …` in its own transaction (SHARE UPDATE EXCLUSIVE: reads ' +
      'and writes go on during the scan).',
    samples: {
      bad: [
        migration(
          [
            TIMEOUT,
            'ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);',
          ],
          2,
        ),
      ],
      good: [
        migration([
          TIMEOUT,
          'ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;',
          'ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;',
        ]),
      ],
    },
  },
  {
    id: 'MIG008',
    severity: 'medium',
    category: 'reliability',
    title: 'UNIQUE or PRIMARY KEY constraint built while added',
    description:
      'ADD CONSTRAINT … UNIQUE / PRIMARY KEY builds its index under an ACCESS EXCLUSIVE lock on the table: ' +
      'no reads or writes for the whole index build (a primary key also scans for NULLs). UNIQUE or ' +
      'PRIMARY KEY written on an added column counts too.',
    remediation:
      'Build the index first with `CREATE UNIQUE INDEX CONCURRENTLY name ON t (cols)`, then attach it: ' +
      '`ALTER TABLE t ADD CONSTRAINT name UNIQUE USING INDEX name` (or `PRIMARY KEY USING INDEX`), which ' +
      'only takes the lock briefly.',
    samples: {
      bad: [
        migration([TIMEOUT, 'ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE (email);'], 2),
      ],
      good: [
        migration([
          'CREATE UNIQUE INDEX CONCURRENTLY customers_email_key ON customers (email);',
          TIMEOUT,
          'ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE USING INDEX customers_email_key;',
        ]),
      ],
    },
  },
  {
    id: 'MIG009',
    severity: 'medium',
    category: 'reliability',
    title: 'SET NOT NULL scans the table under an exclusive lock',
    description:
      'ALTER COLUMN … SET NOT NULL takes an ACCESS EXCLUSIVE lock and reads every row to prove there is no ' +
      'NULL. From PostgreSQL 12 the scan is skipped when a validated CHECK (col IS NOT NULL) constraint ' +
      'exists: not reported when the same file validates such a check first and `options.postgresVersion` ' +
      'is 12 or later.',
    remediation:
      '(1) `ADD CONSTRAINT col_not_null CHECK (col IS NOT NULL) NOT VALID`; (2) `VALIDATE CONSTRAINT ' +
      'col_not_null` (reads and writes go on); (3) `ALTER COLUMN col SET NOT NULL` (PostgreSQL ≥ 12: no ' +
      'scan); (4) `DROP CONSTRAINT col_not_null`.',
    samples: {
      bad: [migration([TIMEOUT, 'ALTER TABLE customers ALTER COLUMN full_name SET NOT NULL;'], 2)],
      good: [
        migration([
          TIMEOUT,
          'ALTER TABLE customers ADD CONSTRAINT full_name_not_null CHECK (full_name IS NOT NULL) NOT VALID;',
          'ALTER TABLE customers VALIDATE CONSTRAINT full_name_not_null;',
          'ALTER TABLE customers ALTER COLUMN full_name SET NOT NULL;',
          'ALTER TABLE customers DROP CONSTRAINT full_name_not_null;',
        ]),
      ],
    },
  },
  {
    id: 'MIG010',
    severity: 'medium',
    category: 'reliability',
    title: 'Column or table renamed',
    description:
      'RENAME takes a brief ACCESS EXCLUSIVE lock, but the application still running the previous release ' +
      'uses the old name: its queries fail until every instance is replaced.',
    remediation:
      'Expand and contract: add the new column (or a view / new table), write both, backfill, move reads, ' +
      'and remove the old name in a later release once no code uses it.',
    samples: {
      bad: [migration([TIMEOUT, 'ALTER TABLE customers RENAME COLUMN full_name TO display_name;'], 2)],
      good: [migration([TIMEOUT, 'ALTER TABLE customers ADD COLUMN display_name text;'])],
    },
  },
  {
    id: 'MIG011',
    severity: 'medium',
    category: 'reliability',
    title: 'Column, table or database dropped',
    description:
      'DROP COLUMN / DROP TABLE take an ACCESS EXCLUSIVE lock (brief for a column: it is only marked dropped) ' +
      'and lose the data for good; code of the running release that still reads the column or table fails. ' +
      'DROP DATABASE removes everything in it.',
    remediation:
      'Remove every use of the column or table from the code first and deploy that; keep a backup (or rename ' +
      'to a *_deprecated name for a release); then drop it in a migration of its own.',
    samples: {
      bad: [
        migration([TIMEOUT, 'ALTER TABLE customers DROP COLUMN country;'], 2),
        migration(['DROP TABLE refunds;'], 1),
      ],
      good: [migration([TIMEOUT, 'ALTER TABLE customers ALTER COLUMN country DROP NOT NULL;'])],
    },
  },
  {
    id: 'MIG012',
    severity: 'high',
    category: 'reliability',
    title: 'TRUNCATE … CASCADE',
    description:
      'TRUNCATE takes an ACCESS EXCLUSIVE lock and empties the table at once; CASCADE also empties every ' +
      'table that references it by a foreign key, and theirs in turn: data the statement does not name.',
    remediation:
      'Name every table to empty in the TRUNCATE (RESTRICT, the default, fails when one is missing), or ' +
      'delete in batches.',
    samples: {
      bad: [migration(['TRUNCATE customers CASCADE;'], 1)],
      good: [migration(['TRUNCATE customers, orders;'])],
    },
  },
  {
    id: 'MIG013',
    severity: 'low',
    category: 'reliability',
    title: 'ALTER TABLE without lock_timeout',
    description:
      'Even a fast ALTER TABLE waits for its ACCESS EXCLUSIVE lock behind any long-running query on the ' +
      'table, and while it waits every other query on the table queues behind it: a one-millisecond ' +
      'migration stops the application. Reported on the first ALTER TABLE of an existing table in a file ' +
      'that sets no lock_timeout before it.',
    remediation:
      "Start the migration with `SET lock_timeout = '5s';` (or `SET LOCAL` inside its transaction) and retry " +
      'the migration when it times out.',
    samples: {
      bad: [migration(['ALTER TABLE customers ADD COLUMN phone text;'], 1)],
      good: [migration([TIMEOUT, 'ALTER TABLE customers ADD COLUMN phone text;'])],
    },
  },
  {
    id: 'MIG014',
    severity: 'medium',
    category: 'correctness',
    title: 'Transaction nested in a transaction',
    description:
      'BEGIN inside an open transaction block does not start a new one: PostgreSQL warns "there is already ' +
      'a transaction in progress" and the first COMMIT ends the outer transaction, so the statements after ' +
      'it run outside any transaction (and a failure no longer rolls back what came before).',
    remediation: 'Remove the inner BEGIN / COMMIT, or use SAVEPOINT … RELEASE for a nested unit.',
    samples: {
      bad: [
        migration(
          ['BEGIN;', TIMEOUT, 'BEGIN;', 'ALTER TABLE customers ADD COLUMN phone text;', 'COMMIT;', 'COMMIT;'],
          3,
        ),
      ],
      good: [migration(['BEGIN;', TIMEOUT, 'ALTER TABLE customers ADD COLUMN phone text;', 'COMMIT;'])],
    },
  },
  {
    id: 'MIG015',
    severity: 'low',
    category: 'maintainability',
    title: 'Column type that is costly to change later',
    description:
      'A column is created (CREATE TABLE or ADD COLUMN) with a type that usually has to be changed once the ' +
      'table is large, and that change (ALTER COLUMN … TYPE) rewrites the table under an ACCESS EXCLUSIVE ' +
      'lock: varchar(n) (raising n is cheap, but a length rule belongs in a CHECK), timestamp without time ' +
      'zone (values lose their zone; comparisons across zones go wrong), and an integer or serial ' +
      'single-column primary key (int4 runs out at 2 147 483 647 rows; serial also leaves its sequence outside the column).',
    remediation:
      'Use text (with `CHECK (length(col) <= n)` when a limit is a rule), timestamptz, and ' +
      '`bigint GENERATED ALWAYS AS IDENTITY` for surrogate keys.',
    samples: {
      bad: [
        migration(
          ['CREATE TABLE refunds (', '  id serial PRIMARY KEY,', '  created_at timestamp NOT NULL', ');'],
          1,
        ),
        migration([TIMEOUT, 'ALTER TABLE customers ADD COLUMN phone varchar(20);'], 2),
      ],
      good: [
        migration([
          'CREATE TABLE refunds (',
          '  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,',
          '  created_at timestamptz NOT NULL,',
          '  reason text CHECK (length(reason) <= 200)',
          ');',
        ]),
      ],
    },
  },
] as const);

export type MigrationRuleId = (typeof MIGRATION_RULES.rules)[number]['id'];
