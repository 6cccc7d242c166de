/**
 * db-query-analyzer's migration-safety rules (MIG0xx) on small migrations:
 * rule ids and lines, the PostgreSQL version option, transaction awareness,
 * tables created in the same file, a migration history read in order, and no
 * finding on each safe rewrite.
 */
import { describe, expect, it, jest } from '@jest/globals';
import type { AgentResult } from '../../../shared/agents/contract.js';
import type { DbQueryOutput } from '../../../shared/agents/db-query-analyzer/schema.js';
import { runAgent } from '../../../shared/agents/registry.js';
import { AgentValidationError } from '../../../shared/core/errors.js';

jest.setTimeout(60_000);

const context = { traceId: 'trace-migrations', now: new Date('2026-05-01T12:00:00Z') };
const TIMEOUT = "SET lock_timeout = '5s';";

async function analyzeFiles(
  files: readonly { path: string; lines: readonly string[] }[],
  postgresVersion?: number,
): Promise<DbQueryOutput> {
  const input = {
    files: files.map((f) => ({ path: f.path, content: f.lines.join('\n') })),
    ...(postgresVersion === undefined ? {} : { options: { postgresVersion } }),
  };
  return (await runAgent('db-query-analyzer', input, context)) as AgentResult as DbQueryOutput;
}

function analyze(lines: readonly string[], postgresVersion?: number): Promise<DbQueryOutput> {
  return analyzeFiles([{ path: 'db/migrate/20260501_change.sql', lines }], postgresVersion);
}

/** `RULE:line` of each open MIG finding (`file:RULE:line` with several files), sorted by file, line, id. */
function hitsOf(result: DbQueryOutput, withFile = false): string[] {
  return result.findings
    .filter((f) => f.ruleId.startsWith('MIG') && !f.suppressed)
    .sort(
      (a, b) =>
        (a.resource?.file ?? '').localeCompare(b.resource?.file ?? '') ||
        (a.resource?.line ?? 0) - (b.resource?.line ?? 0) ||
        a.ruleId.localeCompare(b.ruleId),
    )
    .map((f) => `${withFile ? `${f.resource?.file}:` : ''}${f.ruleId}:${f.resource?.line}`);
}

async function migrationHits(lines: readonly string[], postgresVersion?: number): Promise<string[]> {
  return hitsOf(await analyze(lines, postgresVersion));
}

/**
 * The hits but MIG026 (no statement_timeout) and MIG027 (not rerunnable outside a transaction): the
 * small migrations below set no statement_timeout and use no BEGIN unless the test is about them, and
 * those two rules have tests of their own.
 */
async function hazards(lines: readonly string[], postgresVersion?: number): Promise<string[]> {
  return (await migrationHits(lines, postgresVersion)).filter((h) => !/^MIG02[67]:/.test(h));
}

describe('db-query-analyzer migration rules', () => {
  it('reports each hazard of a migration at its statement line', async () => {
    const hits = await migrationHits([
      'ALTER TABLE orders ADD COLUMN region text NOT NULL;',
      'ALTER TABLE orders ADD COLUMN token uuid DEFAULT gen_random_uuid();',
      'CREATE INDEX orders_region_idx ON orders (region);',
      'DROP INDEX orders_old_idx;',
      'ALTER TABLE orders ALTER COLUMN total_cents TYPE numeric(12, 2);',
      'ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);',
      'ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE (email);',
      'ALTER TABLE customers ALTER COLUMN full_name SET NOT NULL;',
      'ALTER TABLE customers RENAME COLUMN full_name TO display_name;',
      'ALTER TABLE customers DROP COLUMN country;',
      'DROP TABLE refunds;',
      'TRUNCATE customers CASCADE;',
      'REINDEX TABLE orders;',
      'DROP DATABASE shop;',
    ]);
    expect(hits).toEqual([
      'MIG001:1',
      'MIG013:1',
      'MIG026:1',
      'MIG027:1',
      'MIG002:2',
      'MIG027:2',
      'MIG003:3',
      'MIG027:3',
      'MIG004:4',
      'MIG027:4',
      'MIG006:5',
      'MIG007:6',
      'MIG021:6',
      'MIG027:6',
      'MIG008:7',
      'MIG027:7',
      'MIG009:8',
      'MIG010:9',
      'MIG011:10',
      'MIG027:10',
      'MIG011:11',
      'MIG027:11',
      'MIG012:12',
      'MIG004:13',
      'MIG011:14',
    ]);
  });

  it('reads constraints written on an added column', async () => {
    const hits = await hazards([
      TIMEOUT,
      'ALTER TABLE orders ADD COLUMN coupon_id bigint REFERENCES coupons (id);',
      'ALTER TABLE orders ADD COLUMN public_id bigint UNIQUE;',
      'ALTER TABLE audit_log ADD COLUMN id serial PRIMARY KEY;',
    ]);
    // REFERENCES on an added column cannot be NOT VALID: MIG021 (both tables locked), not MIG007.
    expect(hits).toEqual(['MIG021:2', 'MIG008:3', 'MIG002:4', 'MIG008:4', 'MIG015:4', 'MIG017:4']);
  });

  it('stays quiet on the safe rewrites', async () => {
    const hits = await hazards([
      TIMEOUT,
      'ALTER TABLE orders ADD COLUMN region text;',
      "ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';",
      'ALTER TABLE orders ADD COLUMN token uuid;',
      'ALTER TABLE orders ALTER COLUMN token SET DEFAULT gen_random_uuid();',
      'ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID;',
      'ALTER TABLE orders VALIDATE CONSTRAINT orders_customer_fk;',
      'ALTER TABLE orders ADD CONSTRAINT region_not_null CHECK (region IS NOT NULL) NOT VALID;',
      'ALTER TABLE orders VALIDATE CONSTRAINT region_not_null;',
      'ALTER TABLE orders ALTER COLUMN region SET NOT NULL;',
      'ALTER TABLE orders DROP CONSTRAINT region_not_null;',
      'ALTER TABLE customers ADD CONSTRAINT customers_email_key UNIQUE USING INDEX customers_email_key;',
      'CREATE INDEX CONCURRENTLY orders_region_idx ON orders (region);',
      'DROP INDEX CONCURRENTLY orders_old_idx;',
      'REINDEX INDEX CONCURRENTLY orders_pkey;',
      'TRUNCATE audit_log;',
    ]);
    expect(hits).toEqual([]);
  });

  it('does not report statements on a table the same file creates', async () => {
    const hits = await migrationHits([
      'CREATE TABLE refunds (id bigint PRIMARY KEY, order_id bigint NOT NULL, reason varchar);',
      'CREATE INDEX refunds_order_idx ON refunds (order_id);',
      'ALTER TABLE refunds ADD COLUMN amount bigint NOT NULL;',
      'ALTER TABLE refunds ADD CONSTRAINT refunds_order_fk FOREIGN KEY (order_id) REFERENCES orders (id);',
      'ALTER TABLE refunds ALTER COLUMN reason TYPE text;',
      'ALTER TABLE public.refunds RENAME TO order_refunds;',
      'ALTER TABLE order_refunds RENAME COLUMN reason TO note;',
      'DROP TABLE order_refunds;',
    ]);
    // Only the lock the foreign key takes on orders, which exists: writes to it wait for that lock.
    expect(hits).toEqual(['MIG013:4', 'MIG026:4']);
  });

  it('advises on column types, one rule per advice, each at its column definition line', async () => {
    const hits = await hazards([
      'CREATE TABLE refunds (',
      '  id serial,',
      '  reason varchar(200),',
      '  note varchar,',
      '  created_at timestamp NOT NULL,',
      '  at timestamptz,',
      '  order_id int NOT NULL,',
      '  priority smallint, code char(2),',
      '  seq smallserial, big bigserial,',
      '  PRIMARY KEY (id)',
      ');',
      'CREATE TABLE notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text);',
      TIMEOUT,
      'ALTER TABLE customers ADD COLUMN phone varchar(20);',
    ]);
    expect(hits).toEqual([
      'MIG015:2',
      'MIG017:2',
      'MIG018:3',
      'MIG020:5',
      'MIG015:7',
      'MIG016:8',
      'MIG019:8',
      'MIG016:9',
      'MIG017:9',
      'MIG017:9',
      'MIG018:14',
    ]);
    expect(await hazards(['CREATE TEMP TABLE scratch (n int, at timestamp);'])).toEqual([]);
    const result = await analyze(['CREATE TABLE t (id integer PRIMARY KEY, seen timestamp(3));']);
    expect(result.findings.map((f) => f.message).sort()).toEqual([
      'Column t.id is integer (32-bit): prefer bigint.',
      'Column t.seen is timestamp without time zone: prefer timestamptz.',
    ]);
  });

  it('now() and CURRENT_TIMESTAMP are stable: instant from PostgreSQL 11', async () => {
    const hits = await hazards([
      TIMEOUT,
      'ALTER TABLE orders ADD COLUMN seen_at timestamptz NOT NULL DEFAULT now();',
      'ALTER TABLE orders ADD COLUMN seen_at2 timestamptz DEFAULT CURRENT_TIMESTAMP;',
    ]);
    expect(hits).toEqual([]);
  });

  it('a constant default rewrites before PostgreSQL 11 only; a volatile one always', async () => {
    const constant = [TIMEOUT, "ALTER TABLE orders ADD COLUMN region text DEFAULT 'eu';"];
    expect(await hazards(constant, 10)).toEqual(['MIG002:2']);
    expect(await hazards(constant, 11)).toEqual([]);
    expect(await hazards(constant)).toEqual([]);
    const volatile = [
      TIMEOUT,
      'ALTER TABLE orders ADD COLUMN seen_at timestamptz DEFAULT clock_timestamp();',
    ];
    expect(await hazards(volatile, 16)).toEqual(['MIG002:2']);
    expect(await hazards([TIMEOUT, 'ALTER TABLE orders ADD COLUMN n bigserial;'], 16)).toEqual([
      'MIG002:2',
      'MIG017:2',
    ]);
  });

  it('SET NOT NULL uses a validated check from PostgreSQL 12 only', async () => {
    const recipe = [
      TIMEOUT,
      'ALTER TABLE orders ADD CONSTRAINT region_not_null CHECK (region IS NOT NULL) NOT VALID;',
      'ALTER TABLE orders VALIDATE CONSTRAINT region_not_null;',
      'ALTER TABLE orders ALTER COLUMN region SET NOT NULL;',
    ];
    expect(await hazards(recipe, 12)).toEqual([]);
    expect(await hazards(recipe, 11)).toEqual(['MIG009:4']);
    // Not validated: the NOT VALID check does not prove the column.
    expect(await hazards([recipe[0] ?? '', recipe[1] ?? '', recipe[3] ?? ''], 16)).toEqual(['MIG009:3']);
  });

  it('knows transaction blocks: CONCURRENTLY inside one fails, a nested BEGIN is reported', async () => {
    const hits = await hazards([
      'BEGIN;',
      TIMEOUT,
      'CREATE INDEX CONCURRENTLY orders_region_idx ON orders (region);',
      'BEGIN;',
      'COMMIT;',
      'DROP INDEX CONCURRENTLY orders_old_idx;',
    ]);
    expect(hits).toEqual(['MIG005:3', 'MIG014:4']);
    const two = await analyze([
      'BEGIN;',
      'CREATE INDEX CONCURRENTLY a_idx ON orders (a);',
      'CREATE INDEX CONCURRENTLY b_idx ON orders (b);',
      'COMMIT;',
    ]);
    expect(two.findings.filter((f) => f.ruleId === 'MIG005').map((f) => f.message)).toEqual([
      'CREATE INDEX a_idx … CONCURRENTLY inside a transaction block fails.',
      'CREATE INDEX b_idx … CONCURRENTLY inside a transaction block fails.',
    ]);
  });

  it('reports a missing lock_timeout once per file, and not when SET LOCAL sets it', async () => {
    expect(
      await hazards(['ALTER TABLE orders ADD COLUMN a text;', 'ALTER TABLE orders ADD COLUMN b text;']),
    ).toEqual(['MIG013:1']);
    expect(
      await hazards([
        'BEGIN;',
        "SET LOCAL lock_timeout = '2s';",
        'ALTER TABLE orders ADD COLUMN a text;',
        'COMMIT;',
      ]),
    ).toEqual([]);
  });

  it('reads only .sql files as migrations, and an inline allow covers a finding', async () => {
    const log = {
      files: [{ path: 'pg.log', content: '2026-05-01 LOG:  statement: DROP TABLE refunds;\n' }],
    };
    const fromLog = (await runAgent('db-query-analyzer', log, context)) as AgentResult as DbQueryOutput;
    expect(fromLog.findings.filter((f) => f.ruleId.startsWith('MIG'))).toEqual([]);
    const allowed = await hazards([
      TIMEOUT,
      '-- aiops:allow MIG011 the archive table was emptied last release',
      'DROP TABLE refunds;',
    ]);
    expect(allowed).toEqual([]);
  });

  it('a foreign key: MIG007 and MIG021 without NOT VALID; VALIDATE in the adding transaction is MIG007', async () => {
    expect(
      await hazards([
        'BEGIN;',
        TIMEOUT,
        'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);',
        'ALTER TABLE orders ADD CONSTRAINT orders_qty CHECK (qty > 0) NOT VALID;',
        'ALTER TABLE orders VALIDATE CONSTRAINT orders_qty;',
        'COMMIT;',
        'BEGIN;',
        'ALTER TABLE orders ADD CONSTRAINT orders_coupon_fk FOREIGN KEY (coupon_id) REFERENCES coupons (id) NOT VALID;',
        'COMMIT;',
        'BEGIN;',
        'ALTER TABLE orders VALIDATE CONSTRAINT orders_coupon_fk;',
        'COMMIT;',
      ]),
    ).toEqual(['MIG007:3', 'MIG021:3', 'MIG007:5']);
    const messages = (
      await analyze([
        'BEGIN;',
        TIMEOUT,
        'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;',
        'ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;',
        'COMMIT;',
      ])
    ).findings
      .filter((f) => f.ruleId === 'MIG007')
      .map((f) => f.message);
    expect(messages).toEqual([
      "FOREIGN KEY orders_user_fk on orders is validated in the transaction that added it NOT VALID: the transaction keeps the ADD CONSTRAINT's SHARE ROW EXCLUSIVE locks (no writes to orders or the referenced table) through the scan, until COMMIT.",
    ]);
  });

  it('reports the extra COMMIT of a nested pair and a BEGIN the file never commits', async () => {
    expect(
      await hazards(['BEGIN;', TIMEOUT, 'BEGIN;', 'ALTER TABLE t ADD COLUMN a text;', 'COMMIT;', 'COMMIT;']),
    ).toEqual(['MIG014:3', 'MIG014:6']);
    expect(await hazards([TIMEOUT, 'BEGIN;', 'ALTER TABLE t ADD COLUMN a text;'])).toEqual(['MIG025:2']);
    expect(await hazards(['BEGIN;', 'COMMIT;', 'BEGIN;', 'ROLLBACK;', 'START TRANSACTION;', 'END;'])).toEqual(
      [],
    );
  });

  it('DROP NOT NULL and domains with constraints', async () => {
    expect(
      await hazards([
        TIMEOUT,
        'ALTER TABLE users ALTER COLUMN email DROP NOT NULL;',
        'CREATE DOMAIN positive AS numeric CHECK (VALUE > 0);',
        'CREATE DOMAIN required_text AS text NOT NULL;',
        'CREATE DOMAIN amount AS numeric;',
        'ALTER DOMAIN amount ADD CONSTRAINT amount_max CHECK (VALUE < 100);',
        'ALTER DOMAIN amount DROP CONSTRAINT amount_max;',
        'CREATE TABLE drafts (id bigint PRIMARY KEY, title text NOT NULL);',
        'ALTER TABLE drafts ALTER COLUMN title DROP NOT NULL;',
      ]),
    ).toEqual(['MIG022:2', 'MIG023:3', 'MIG023:4', 'MIG024:6']);
  });

  it('reports a missing statement_timeout once per file, before slow or locking DDL only', async () => {
    const inBlock = (lines: string[]) => ['BEGIN;', TIMEOUT, ...lines, 'COMMIT;'];
    expect(
      await migrationHits(
        inBlock([
          'CREATE TABLE notes (id bigint PRIMARY KEY);',
          'CREATE INDEX notes_id_idx ON notes (id);',
          "UPDATE orders SET region = 'eu' WHERE region IS NULL;",
          'ALTER TABLE orders ADD COLUMN note text;',
          'CREATE INDEX orders_note_idx ON orders (note);',
        ]),
      ),
    ).toEqual(['MIG026:6', 'MIG003:7']);
    expect(await migrationHits(inBlock(['REINDEX TABLE orders;']))).toEqual(['MIG004:3', 'MIG026:3']);
    expect(await migrationHits(inBlock(['VACUUM FULL orders;']))).toEqual(['MIG026:3']);
    expect(await migrationHits(inBlock(['ALTER DOMAIN amount VALIDATE CONSTRAINT amount_max;']))).toEqual([
      'MIG026:3',
    ]);
    expect(
      await migrationHits(
        inBlock(['SET LOCAL statement_timeout = 0;', 'ALTER TABLE orders ADD COLUMN note text;']),
      ),
    ).toEqual([]);
    // RESET (or SET … TO DEFAULT) undoes it for the statements after it.
    expect(
      await migrationHits(
        inBlock([
          "SET statement_timeout = '1min';",
          'RESET statement_timeout;',
          'ALTER TABLE orders ADD COLUMN note text;',
        ]),
      ),
    ).toEqual(['MIG026:5']);
  });

  it('reports statements outside a transaction block that a rerun fails on', async () => {
    const hits = await migrationHits([
      TIMEOUT,
      "SET statement_timeout = '1h';",
      'ALTER TABLE teams ADD COLUMN logo text, DROP COLUMN banner;',
      'ALTER TABLE teams ADD COLUMN IF NOT EXISTS theme text, DROP COLUMN IF EXISTS legacy;',
      'CREATE INDEX CONCURRENTLY teams_logo_idx ON teams (logo);',
      'CREATE INDEX CONCURRENTLY IF NOT EXISTS teams_theme_idx ON teams (theme);',
      'DROP INDEX CONCURRENTLY teams_old_idx;',
      'DROP INDEX CONCURRENTLY IF EXISTS teams_older_idx;',
      'ALTER TABLE teams DROP CONSTRAINT IF EXISTS teams_slug_key;',
      'ALTER TABLE teams ADD CONSTRAINT teams_slug_key UNIQUE USING INDEX teams_slug_idx;',
      'ALTER TABLE teams ADD CONSTRAINT teams_name_key UNIQUE USING INDEX teams_name_idx;',
      'CREATE TABLE badges (id bigint PRIMARY KEY);',
      'CREATE INDEX badges_id_idx ON badges (id);',
      'DROP TABLE badges;',
      'DROP DATABASE scratch;',
      'BEGIN;',
      'ALTER TABLE teams ADD COLUMN motto text;',
      'DROP TABLE legacy_teams;',
      'COMMIT;',
    ]);
    expect(hits.filter((h) => h.startsWith('MIG027'))).toEqual([
      'MIG027:3',
      'MIG027:5',
      'MIG027:7',
      'MIG027:11',
    ]);
    const messages = (
      await analyze([
        TIMEOUT,
        'CREATE INDEX CONCURRENTLY ON teams (logo);',
        'ALTER TABLE teams DROP COLUMN a;',
      ])
    ).findings
      .filter((f) => f.ruleId === 'MIG027')
      .map((f) => f.message);
    expect(messages).toEqual([
      'CREATE INDEX index on teams (a failed CONCURRENTLY build leaves an INVALID index of that name) runs outside a transaction block and fails when run again: if the migration stops after it, the rerun stops here. Add an index name and IF NOT EXISTS.',
      'ALTER TABLE teams runs outside a transaction block and fails when run again: if the migration stops after it, the rerun stops here. Add DROP COLUMN a (IF EXISTS), or run it in BEGIN … COMMIT.',
    ]);
  });

  it('carries validated NOT NULL checks across the files of a migration history, in its order', async () => {
    const steps = [
      {
        path: 'db/migrate/20240103_set_not_null.sql',
        lines: [TIMEOUT, 'ALTER TABLE users ALTER COLUMN name SET NOT NULL;'],
      },
      {
        path: 'db/migrate/20240101_check.sql',
        lines: [
          TIMEOUT,
          'ALTER TABLE users ADD CONSTRAINT users_name_nn CHECK (name IS NOT NULL) NOT VALID;',
        ],
      },
      {
        path: 'db/migrate/20240102_validate.sql',
        lines: [TIMEOUT, 'ALTER TABLE users VALIDATE CONSTRAINT users_name_nn;'],
      },
    ];
    const history = hitsOf(await analyzeFiles(steps), true).filter((h) => !/MIG02[67]/.test(h));
    expect(history).toEqual([]);
    // Dropped before the SET NOT NULL: the check no longer proves the column.
    const dropped = [
      steps[0],
      steps[1],
      {
        path: 'db/migrate/20240102_validate.sql',
        lines: [
          TIMEOUT,
          'ALTER TABLE users VALIDATE CONSTRAINT users_name_nn;',
          'ALTER TABLE users DROP CONSTRAINT users_name_nn;',
        ],
      },
    ].filter((f) => f !== undefined);
    expect(hitsOf(await analyzeFiles(dropped), true).filter((h) => h.includes('MIG009'))).toEqual([
      'db/migrate/20240103_set_not_null.sql:MIG009:2',
    ]);
    // Not a history (the files are not named as steps): each file is read alone.
    const loose = steps.map((s, i) => ({ ...s, path: `db/${['c', 'a', 'b'][i]}.sql` }));
    expect(hitsOf(await analyzeFiles(loose), true).filter((h) => h.includes('MIG009'))).toEqual([
      'db/c.sql:MIG009:2',
    ]);
  });

  it('validates postgresVersion', async () => {
    await expect(
      runAgent('db-query-analyzer', { sql: 'SELECT 1;', options: { postgresVersion: 7 } }, context),
    ).rejects.toBeInstanceOf(AgentValidationError);
  });
});

describe('db-query-analyzer migration rules on real-history shapes', () => {
  it('asks for a lock_timeout before any statement that locks an existing table, once per file', async () => {
    expect(
      await migrationHits([
        'DROP INDEX CONCURRENTLY IF EXISTS orders_old_idx;',
        'ALTER TABLE orders RENAME COLUMN a TO b;',
      ]),
    ).toContain('MIG013:2');
    expect(
      await migrationHits(['TRUNCATE audit_log;', 'ALTER TABLE orders ADD COLUMN note text;']),
    ).toContain('MIG013:1');
    const created = await migrationHits([
      'CREATE TABLE refunds (id bigint PRIMARY KEY);',
      'CREATE INDEX ON refunds (id);',
    ]);
    expect(created.filter((h) => h.startsWith('MIG013'))).toEqual([]);
  });

  it('treats CREATE TABLE IF NOT EXISTS as a table that may already hold rows', async () => {
    const hits = await migrationHits([
      TIMEOUT,
      'CREATE TABLE IF NOT EXISTS teams (id bigint PRIMARY KEY, description text);',
      'ALTER TABLE teams ALTER COLUMN description TYPE varchar(500);',
    ]);
    expect(hits).toEqual(expect.arrayContaining(['MIG006:3', 'MIG018:3']));
  });

  it('gives type advice on columns added to a table the file created, and on ALTER COLUMN … TYPE', async () => {
    const hits = await migrationHits([
      TIMEOUT,
      'CREATE TABLE teams (id bigint PRIMARY KEY);',
      'ALTER TABLE teams ADD COLUMN name varchar(64);',
    ]);
    expect(hits).toEqual(['MIG018:3']);
  });

  it('reports a stored generated or identity column added to an existing table as a rewrite', async () => {
    const hits = await migrationHits([
      TIMEOUT,
      'ALTER TABLE users ADD COLUMN confirmed_at timestamptz GENERATED ALWAYS AS (coalesce(email_confirmed_at, phone_confirmed_at)) STORED;',
      'ALTER TABLE events ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;',
    ]);
    expect(hits.filter((h) => h.startsWith('MIG00'))).toEqual(['MIG002:2', 'MIG002:3']);
  });
});

describe('db-query-analyzer MIG013 and foreign keys', () => {
  it('asks for a lock_timeout when a new table references an existing one, not for a self-reference', async () => {
    expect(
      await migrationHits([
        'CREATE TABLE refunds (id bigint PRIMARY KEY, order_id bigint REFERENCES orders (id));',
      ]),
    ).toEqual(['MIG013:1', 'MIG026:1']);
    expect(
      await migrationHits([
        'CREATE TABLE tree (id bigint PRIMARY KEY, parent_id bigint REFERENCES tree (id));',
        'CREATE TABLE leaves (id bigint PRIMARY KEY, tree_id bigint REFERENCES tree (id));',
      ]),
    ).toEqual([]);
  });
});
