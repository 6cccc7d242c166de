/**
 * Migration-safety rules (MIG0xx) of db-query-analyzer, as data: what a DDL
 * statement does to a table that already holds rows and serves traffic —
 * which lock it takes, for how long (a table rewrite, a full scan, an index
 * build) — and the safe rewrite as a recipe of steps. The checks are in
 * migration-rules.ts; rules.ts joins these rows into the agent's catalog.
 *
 * Which files: every `.sql` file given is read as a migration, statement by
 * statement in order. A table the same file creates is new and empty, so no
 * statement on it is reported (a schema file or a dump stays quiet, but for
 * the column type advice MIG015–MIG020); the hazards are statements on tables
 * that existed before the file ran. Files that form a migration history are
 * read in its order, and a NOT NULL check validated in one carries into the
 * next; timeouts and transaction blocks stay per file.
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
      'default is stored in the catalog and the statement is instant (`options.postgresVersion`, default 16). ' +
      'A stored generated column (GENERATED ALWAYS AS (…) STORED) and an identity column are computed for every ' +
      'existing row the same way.',
    remediation:
      'Add the column without the default (or with a constant one), set the default for new rows with ' +
      '`ALTER COLUMN col SET DEFAULT …` (catalog only), then backfill existing rows in batches by key range. ' +
      'For a generated value: a plain column filled by the application or a trigger, backfilled in batches.',
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
    title: 'Foreign key or CHECK constraint validated under the lock that adds it',
    description:
      'ADD CONSTRAINT … FOREIGN KEY / CHECK without NOT VALID checks every existing row while holding the ' +
      'lock: a foreign key takes SHARE ROW EXCLUSIVE on both tables (writes to either wait for the full ' +
      'scan), a CHECK takes ACCESS EXCLUSIVE on the table (reads wait too). Also reported: a VALIDATE ' +
      'CONSTRAINT in the same transaction block as the ADD … NOT VALID, since that lock is then held through ' +
      'the scan until COMMIT. (A file without BEGIN is taken as run statement by statement; a migration tool ' +
      'that wraps each file in one transaction makes NOT VALID + VALIDATE in one file the same hazard.)',
    remediation:
      'Add it in two steps: (1) `ADD CONSTRAINT … NOT VALID` (brief lock; new rows are checked from then ' +
      'on); (2) `ALTER TABLE … VALIDATE CONSTRAINT …` in a later migration, its own transaction (SHARE UPDATE ' +
      'EXCLUSIVE: reads and writes go on during the scan).',
    samples: {
      bad: [
        migration(
          [
            TIMEOUT,
            'ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);',
          ],
          2,
        ),
        migration(
          [
            'BEGIN;',
            TIMEOUT,
            'ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total_cents > 0) NOT VALID;',
            'ALTER TABLE orders VALIDATE CONSTRAINT orders_total_positive;',
            'COMMIT;',
          ],
          4,
          'validated in the transaction that added it NOT VALID',
        ),
      ],
      good: [
        migration([
          'BEGIN;',
          TIMEOUT,
          'ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;',
          'COMMIT;',
          'BEGIN;',
          TIMEOUT,
          'ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;',
          'COMMIT;',
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
      'exists: not reported when such a check was validated before it (earlier in the file, or in an earlier ' +
      'migration when the files are a migration history, read in their order) and `options.postgresVersion` ' +
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
      good: [migration(['DROP VIEW customer_countries;'], undefined, 'a view holds no data')],
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
    title: 'Locking DDL without lock_timeout',
    description:
      'Even a fast ALTER TABLE waits for its ACCESS EXCLUSIVE lock behind any long-running query on the ' +
      'table, and while it waits every other query on the table queues behind it: a one-millisecond ' +
      'migration stops the application. Reported once per file, on the first statement that locks an ' +
      'existing relation against reads or writes — ALTER TABLE, a rename, DROP, TRUNCATE, CREATE INDEX or ' +
      'REINDEX without CONCURRENTLY, CREATE TRIGGER, CLUSTER, VACUUM FULL, REFRESH MATERIALIZED VIEW, LOCK — ' +
      'when the file sets no lock_timeout before it.',
    remediation:
      "Start the migration with `SET lock_timeout = '5s';` (or `SET LOCAL` inside its transaction) and retry " +
      'the migration when it times out.',
    samples: {
      bad: [
        migration(['ALTER TABLE customers ADD COLUMN phone text;'], 1),
        migration(['DROP TABLE legacy_sessions;'], 1, 'a DROP waits for the same lock'),
      ],
      good: [
        migration([TIMEOUT, 'ALTER TABLE customers ADD COLUMN phone text;']),
        migration(
          [
            'CREATE TABLE refunds (id bigint PRIMARY KEY);',
            'CREATE TRIGGER refunds_audit AFTER INSERT ON refunds FOR EACH ROW EXECUTE FUNCTION audit();',
          ],
          undefined,
          'a table the file creates has no readers to block',
        ),
      ],
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
      'it run outside any transaction (and a failure no longer rolls back what came before). Also reported: ' +
      'a COMMIT or ROLLBACK with no open block (the extra COMMIT of a nested pair, or one that ends the ' +
      'transaction the migration tool opened).',
    remediation: 'Remove the inner BEGIN / COMMIT, or use SAVEPOINT … RELEASE for a nested unit.',
    samples: {
      bad: [
        migration(
          ['BEGIN;', TIMEOUT, 'BEGIN;', 'ALTER TABLE customers ADD COLUMN phone text;', 'COMMIT;', 'COMMIT;'],
          3,
        ),
        migration(
          ['BEGIN;', TIMEOUT, 'BEGIN;', 'ALTER TABLE customers ADD COLUMN phone text;', 'COMMIT;', 'COMMIT;'],
          6,
          'the second COMMIT has no block left to end',
        ),
      ],
      good: [migration(['BEGIN;', TIMEOUT, 'ALTER TABLE customers ADD COLUMN phone text;', 'COMMIT;'])],
    },
  },
  {
    id: 'MIG015',
    severity: 'low',
    category: 'maintainability',
    title: '32-bit integer column (int, integer, serial)',
    description:
      'integer tops out at 2 147 483 647: a key, a counter, or a column that refers to a bigint key runs ' +
      'out, and widening it then (ALTER COLUMN … TYPE bigint) rewrites the table and its indexes under an ' +
      'ACCESS EXCLUSIVE lock. Every int4 column a CREATE TABLE or ADD COLUMN declares is reported, keys or ' +
      'not (as squawk’s prefer-bigint-over-int does): counters and referencing columns overflow too, and ' +
      'bigint costs at most 4 bytes a row (often none, after alignment).',
    remediation:
      'Declare bigint (`bigint GENERATED ALWAYS AS IDENTITY` for a surrogate key). To widen an existing ' +
      'column without the rewrite: add a bigint column, write both (trigger), backfill in batches, then swap ' +
      'in one short transaction.',
    samples: {
      bad: [
        migration(
          [
            'CREATE TABLE refunds (',
            '  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,',
            '  attempts integer NOT NULL',
            ');',
          ],
          3,
        ),
        migration(['CREATE TABLE refunds (', '  id serial PRIMARY KEY', ');'], 2, 'serial is an integer'),
      ],
      good: [
        migration([
          'CREATE TABLE refunds (',
          '  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,',
          '  attempts bigint NOT NULL',
          ');',
        ]),
      ],
    },
  },
  {
    id: 'MIG016',
    severity: 'low',
    category: 'maintainability',
    title: '16-bit integer column (smallint, smallserial)',
    description:
      'smallint tops out at 32 767, which a counter, a code list or a key reaches sooner than expected; ' +
      'widening it then (ALTER COLUMN … TYPE) rewrites the table and its indexes under an ACCESS EXCLUSIVE ' +
      'lock. The 2 bytes it saves are usually lost to alignment.',
    remediation:
      'Declare bigint (with a CHECK when the range is a rule). To widen an existing column: a new bigint ' +
      'column, dual writes, a batched backfill, then swap.',
    samples: {
      bad: [migration([TIMEOUT, 'ALTER TABLE orders ADD COLUMN priority smallint;'], 2)],
      good: [
        migration([
          TIMEOUT,
          'ALTER TABLE orders ADD COLUMN priority bigint;',
          'ALTER TABLE orders ADD CONSTRAINT orders_priority_range CHECK (priority BETWEEN 0 AND 9) NOT VALID;',
        ]),
      ],
    },
  },
  {
    id: 'MIG017',
    severity: 'low',
    category: 'maintainability',
    title: 'serial column instead of an identity column',
    description:
      'serial, bigserial and smallserial are a sequence plus a `DEFAULT nextval(…)`: the sequence has its ' +
      'own owner and grants (an INSERT needs USAGE on it), `CREATE TABLE … (LIKE … INCLUDING DEFAULTS)` ' +
      'shares the sequence, and explicit ids written by hand collide with it later. Added to an existing ' +
      'table, a serial column also rewrites it under an ACCESS EXCLUSIVE lock (MIG002); converting it to an ' +
      'identity later takes several ALTER TABLE steps under that lock and a sequence restart.',
    remediation:
      'Use `bigint GENERATED ALWAYS AS IDENTITY` (SQL standard; rejects explicit ids unless OVERRIDING ' +
      'SYSTEM VALUE), or `GENERATED BY DEFAULT AS IDENTITY` when rows are loaded with their ids.',
    samples: {
      bad: [migration(['CREATE TABLE refunds (', '  id bigserial PRIMARY KEY', ');'], 2)],
      good: [
        migration(['CREATE TABLE refunds (', '  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY', ');']),
      ],
    },
  },
  {
    id: 'MIG018',
    severity: 'low',
    category: 'maintainability',
    title: 'varchar(n) column instead of text with a CHECK',
    description:
      'varchar(n) puts a length rule in the type. Raising n is catalog-only, but lowering it, or any other ' +
      'change of the rule, is ALTER COLUMN … TYPE: a scan or a rewrite under an ACCESS EXCLUSIVE lock. ' +
      'varchar(n) is not faster or smaller than text.',
    remediation:
      'Use text, with `CHECK (char_length(col) <= n)` when the limit is a rule: a CHECK can be replaced ' +
      'with `ADD CONSTRAINT … NOT VALID` then `VALIDATE CONSTRAINT` (no rewrite, reads and writes go on).',
    samples: {
      bad: [migration([TIMEOUT, 'ALTER TABLE customers ADD COLUMN phone varchar(20);'], 2)],
      good: [
        migration([
          'CREATE TABLE refunds (',
          '  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,',
          '  reason text CHECK (char_length(reason) <= 200)',
          ');',
        ]),
      ],
    },
  },
  {
    id: 'MIG019',
    severity: 'low',
    category: 'maintainability',
    title: 'char(n) column',
    description:
      'char(n) pads every value with spaces to n characters and stores the padding; trailing spaces are ' +
      'insignificant in its comparisons and dropped when it is converted to text: surprising results, no ' +
      'speed gain. ' +
      'Changing it later to text or another length is ALTER COLUMN … TYPE: a rewrite under an ACCESS ' +
      'EXCLUSIVE lock.',
    remediation: 'Use text, with `CHECK (char_length(col) = n)` when the length is a rule.',
    samples: {
      bad: [
        migration(
          [
            'CREATE TABLE countries (',
            '  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,',
            '  code char(2) NOT NULL',
            ');',
          ],
          3,
        ),
      ],
      good: [
        migration([
          'CREATE TABLE countries (',
          '  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,',
          '  code text NOT NULL CHECK (char_length(code) = 2)',
          ');',
        ]),
      ],
    },
  },
  {
    id: 'MIG020',
    severity: 'low',
    category: 'correctness',
    title: 'timestamp without time zone',
    description:
      'A timestamp without time zone stores a wall-clock reading with no zone: values written by servers or ' +
      'sessions in different zones (or across a DST change) compare and sort wrong, and nothing in the ' +
      'column says which zone was meant. Converting it later (ALTER COLUMN … TYPE timestamptz) rewrites the ' +
      'table under an ACCESS EXCLUSIVE lock unless the session time zone is UTC (PostgreSQL 12+).',
    remediation: 'Use timestamptz: it stores an instant and shows it in the session’s zone.',
    samples: {
      bad: [migration([TIMEOUT, 'ALTER TABLE orders ADD COLUMN shipped_at timestamp;'], 2)],
      good: [migration([TIMEOUT, 'ALTER TABLE orders ADD COLUMN shipped_at timestamptz;'])],
    },
  },
  {
    id: 'MIG021',
    severity: 'medium',
    category: 'reliability',
    title: 'Foreign key validated while added to an existing table',
    description:
      'A foreign key added to a table with rows takes SHARE ROW EXCLUSIVE on the table and on the table it ' +
      'references and, unless added NOT VALID, checks every row while it holds both: INSERT, UPDATE and ' +
      'DELETE on both tables wait for the scan (the referenced table is the one easy to forget: a key from ' +
      'orders to users blocks writes to users). REFERENCES on an added column is always validated at once ' +
      '(NOT VALID cannot be written there), and there the table itself is under the ADD COLUMN’s ACCESS ' +
      'EXCLUSIVE lock: its reads wait too.',
    remediation:
      '(1) Add the column without REFERENCES; (2) `ADD CONSTRAINT … FOREIGN KEY … NOT VALID` with a ' +
      'lock_timeout set (a brief lock on both tables; new rows are checked from then on); (3) `VALIDATE ' +
      'CONSTRAINT` in a later migration (SHARE UPDATE EXCLUSIVE on the table, ROW SHARE on the referenced ' +
      'one: writes go on).',
    samples: {
      bad: [
        migration([TIMEOUT, 'ALTER TABLE orders ADD COLUMN coupon_id bigint REFERENCES coupons (id);'], 2),
        migration(
          [
            TIMEOUT,
            'ALTER TABLE orders ADD CONSTRAINT orders_coupon_fk FOREIGN KEY (coupon_id) REFERENCES coupons (id);',
          ],
          2,
        ),
      ],
      good: [
        migration([
          TIMEOUT,
          'ALTER TABLE orders ADD COLUMN coupon_id bigint;',
          'ALTER TABLE orders ADD CONSTRAINT orders_coupon_fk FOREIGN KEY (coupon_id) REFERENCES coupons (id) NOT VALID;',
        ]),
        migration(
          [
            'CREATE TABLE refunds (',
            '  id bigint PRIMARY KEY,',
            '  order_id bigint REFERENCES orders (id)',
            ');',
          ],
          undefined,
          'a new table has no rows to check',
        ),
      ],
    },
  },
  {
    id: 'MIG022',
    severity: 'medium',
    category: 'correctness',
    title: 'DROP NOT NULL',
    description:
      'ALTER COLUMN … DROP NOT NULL takes an ACCESS EXCLUSIVE lock only briefly (catalog only, no scan), ' +
      'but from its commit NULLs can be written, and code of the running release, reports and consumers ' +
      'downstream that assume a value break on them. Putting NOT NULL back later scans the table under an ' +
      'ACCESS EXCLUSIVE lock (MIG009).',
    remediation:
      'No rewrite makes it safe, only an order: first make every reader handle NULL and deploy that; then ' +
      'drop NOT NULL in a migration of its own (with a lock_timeout).',
    samples: {
      bad: [migration([TIMEOUT, 'ALTER TABLE customers ALTER COLUMN email DROP NOT NULL;'], 2)],
      good: [
        migration(
          [
            'CREATE TABLE refunds (id bigint PRIMARY KEY, reason text NOT NULL);',
            'ALTER TABLE refunds ALTER COLUMN reason DROP NOT NULL;',
          ],
          undefined,
          'a table created in the same file has no readers yet',
        ),
      ],
    },
  },
  {
    id: 'MIG023',
    severity: 'low',
    category: 'maintainability',
    title: 'Domain created with a constraint',
    description:
      'CREATE DOMAIN … CHECK (or NOT NULL) ties the rule to every column of the type: adding a column of ' +
      'the domain to a table with rows can rewrite the table (each row’s value is checked) under an ACCESS ' +
      'EXCLUSIVE lock, and adding or changing the rule later (ALTER DOMAIN) checks every table that uses the domain at ' +
      'once, under locks that block their writes. A table’s CHECK can be changed table by table, NOT VALID ' +
      'then VALIDATE; a domain’s cannot.',
    remediation:
      'Create the domain without constraints (or use the base type) and put the rule in a CHECK on each ' +
      'table column.',
    samples: {
      bad: [migration(['CREATE DOMAIN positive_amount AS numeric CHECK (VALUE > 0);'], 1)],
      good: [
        migration([
          'CREATE DOMAIN amount AS numeric;',
          'CREATE TABLE refunds (id bigint PRIMARY KEY, total amount CHECK (total > 0));',
        ]),
      ],
    },
  },
  {
    id: 'MIG024',
    severity: 'medium',
    category: 'reliability',
    title: 'Constraint added to a domain',
    description:
      'ALTER DOMAIN … ADD CONSTRAINT checks every stored value of every column of the domain type, in ' +
      'every table, while holding a lock on each of those tables that blocks its writes; NOT VALID only ' +
      'moves that scan to the VALIDATE CONSTRAINT that has to follow.',
    remediation:
      'Put the rule on the table columns instead: `ALTER TABLE … ADD CONSTRAINT … CHECK (…) NOT VALID`, ' +
      'then `VALIDATE CONSTRAINT` in a later migration (SHARE UPDATE EXCLUSIVE: reads and writes go on), ' +
      'one table at a time.',
    samples: {
      bad: [
        migration(
          [
            TIMEOUT,
            'ALTER DOMAIN positive_amount ADD CONSTRAINT positive_amount_max CHECK (VALUE < 1000000);',
          ],
          2,
        ),
      ],
      good: [
        migration([
          TIMEOUT,
          'ALTER TABLE refunds ADD CONSTRAINT refunds_total_max CHECK (total < 1000000) NOT VALID;',
        ]),
      ],
    },
  },
  {
    id: 'MIG025',
    severity: 'high',
    category: 'correctness',
    title: 'Transaction never committed',
    description:
      'The file opens a transaction block (BEGIN) and ends inside it. Run by psql, the open transaction is ' +
      'rolled back when the session closes: the migration reports success and nothing is applied. Run by a ' +
      'tool that keeps the session, the next migrations join the open transaction and every lock taken so ' +
      'far is held until something commits. Reported at the BEGIN.',
    remediation:
      'End the block with COMMIT, or remove the BEGIN and let the migration tool own the transaction.',
    samples: {
      bad: [migration(['BEGIN;', TIMEOUT, 'ALTER TABLE customers ADD COLUMN phone text;'], 1)],
      good: [migration(['BEGIN;', TIMEOUT, 'ALTER TABLE customers ADD COLUMN phone text;', 'COMMIT;'])],
    },
  },
  {
    id: 'MIG026',
    severity: 'low',
    category: 'reliability',
    title: 'Slow or locking DDL without statement_timeout',
    description:
      'lock_timeout bounds the wait for a lock; only statement_timeout bounds how long a statement then ' +
      'holds it. Reported once per file, on the first such statement with no `SET statement_timeout` before ' +
      'it: any ALTER TABLE of an existing table (whether it rewrites or scans depends on types, defaults, ' +
      'partitions and triggers the file does not show), CREATE INDEX on an existing table (also ' +
      'CONCURRENTLY) and REINDEX, ALTER DOMAIN … ADD / VALIDATE CONSTRAINT, CLUSTER, VACUUM FULL and REFRESH ' +
      'MATERIALIZED VIEW, and every statement MIG013 asks a lock_timeout for (statement_timeout bounds the ' +
      'lock wait too, as a backstop). Not data changes (a data migration bounds itself by batches) and not DDL ' +
      'on new objects. Any value counts, 0 included: the point is a deliberate choice (a RESET or SET … TO DEFAULT ' +
      'undoes it).',
    remediation:
      "Start the migration with `SET statement_timeout = '…';` (or SET LOCAL inside its transaction), sized " +
      'to the statement: seconds for a catalog change, hours for a CONCURRENTLY build on a large table (a ' +
      'cancelled build leaves an INVALID index to drop before the retry).',
    samples: {
      bad: [migration([TIMEOUT, 'ALTER TABLE customers ADD COLUMN phone text;'], 2)],
      good: [
        migration([
          TIMEOUT,
          "SET statement_timeout = '30s';",
          'ALTER TABLE customers ADD COLUMN phone text;',
        ]),
      ],
    },
  },
  {
    id: 'MIG027',
    severity: 'low',
    category: 'reliability',
    title: 'Statement outside a transaction that cannot be run twice',
    description:
      'Outside a transaction block every statement commits on its own. When the migration fails after it ' +
      '(or its runner dies before recording it), the migration is not marked done, and running it again ' +
      'fails on this statement ("already exists", "does not exist"), leaving the schema half changed until ' +
      'someone fixes it by hand. Reported, outside BEGIN … COMMIT only: ADD / DROP COLUMN, ADD / DROP ' +
      'CONSTRAINT and CREATE INDEX on tables that existed before the file, and DROP of objects it did not ' +
      'create, without IF [NOT] EXISTS; in a migration history (files named as steps) also CREATE TABLE and ' +
      'CREATE INDEX on the tables the file creates, which a rerun meets again. Not in a schema file or a dump ' +
      '(created once), not DROP DATABASE (MIG011 says to remove it). When the ' +
      'migration tool runs each file in a transaction it is not reported: Diesel, goose, dbmate and Flyway ' +
      'layouts are recognised, and `options.assumeInTransaction` says it for any other.',
    remediation:
      'Add IF NOT EXISTS / IF EXISTS (for ADD CONSTRAINT, a `DROP CONSTRAINT IF EXISTS` of the same name ' +
      'before it), or wrap the statements in BEGIN … COMMIT when none of them needs to run outside a ' +
      'transaction (CONCURRENTLY does).',
    samples: {
      bad: [
        migration([TIMEOUT, 'ALTER TABLE customers ADD COLUMN phone text;'], 2),
        migration(['CREATE INDEX CONCURRENTLY orders_placed_at_idx ON orders (placed_at);'], 1),
      ],
      good: [
        migration([
          TIMEOUT,
          'ALTER TABLE customers ADD COLUMN IF NOT EXISTS phone text;',
          'CREATE INDEX CONCURRENTLY IF NOT EXISTS customers_phone_idx ON customers (phone);',
        ]),
        migration(['BEGIN;', TIMEOUT, 'ALTER TABLE customers ADD COLUMN phone text;', 'COMMIT;']),
      ],
    },
  },
] as const);

export type MigrationRuleId = (typeof MIGRATION_RULES.rules)[number]['id'];
