/**
 * db-query-analyzer's migration-safety rules (MIG0xx) on small migrations:
 * rule ids and lines, the PostgreSQL version option, transaction awareness,
 * tables created in the same file, and no finding on each safe rewrite.
 */
import { describe, expect, it, jest } from '@jest/globals';
import type { AgentResult } from '../../../shared/agents/contract.js';
import type { DbQueryOutput } from '../../../shared/agents/db-query-analyzer/schema.js';
import { runAgent } from '../../../shared/agents/registry.js';
import { AgentValidationError } from '../../../shared/core/errors.js';

jest.setTimeout(60_000);

const context = { traceId: 'trace-migrations', now: new Date('2026-05-01T12:00:00Z') };
const TIMEOUT = "SET lock_timeout = '5s';";

async function analyze(lines: readonly string[], postgresVersion?: number): Promise<DbQueryOutput> {
  const input = {
    files: [{ path: 'db/migrate/20260501_change.sql', content: lines.join('\n') }],
    ...(postgresVersion === undefined ? {} : { options: { postgresVersion } }),
  };
  return (await runAgent('db-query-analyzer', input, context)) as AgentResult as DbQueryOutput;
}

/** `RULE:line` of each open MIG finding, sorted by line then id. */
async function migrationHits(lines: readonly string[], postgresVersion?: number): Promise<string[]> {
  const result = await analyze(lines, postgresVersion);
  return result.findings
    .filter((f) => f.ruleId.startsWith('MIG') && !f.suppressed)
    .sort((a, b) => (a.resource?.line ?? 0) - (b.resource?.line ?? 0) || a.ruleId.localeCompare(b.ruleId))
    .map((f) => `${f.ruleId}:${f.resource?.line}`);
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
      'MIG002:2',
      'MIG003:3',
      'MIG004:4',
      'MIG006:5',
      'MIG007:6',
      'MIG008:7',
      'MIG009:8',
      'MIG010:9',
      'MIG011:10',
      'MIG011:11',
      'MIG012:12',
      'MIG004:13',
      'MIG011:14',
    ]);
  });

  it('reads constraints written on an added column', async () => {
    const hits = await migrationHits([
      TIMEOUT,
      'ALTER TABLE orders ADD COLUMN coupon_id bigint REFERENCES coupons (id);',
      'ALTER TABLE orders ADD COLUMN public_id bigint UNIQUE;',
      'ALTER TABLE audit_log ADD COLUMN id serial PRIMARY KEY;',
    ]);
    expect(hits).toEqual(['MIG007:2', 'MIG008:3', 'MIG002:4', 'MIG008:4', 'MIG015:4']);
  });

  it('stays quiet on the safe rewrites', async () => {
    const hits = await migrationHits([
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
    expect(hits).toEqual([]);
  });

  it('advises on types that are costly to change: varchar(n), timestamp, an int or serial key', async () => {
    const hits = await migrationHits([
      'CREATE TABLE refunds (',
      '  id serial,',
      '  reason varchar(200),',
      '  note varchar,',
      '  created_at timestamp NOT NULL,',
      '  at timestamptz,',
      '  order_id int NOT NULL,',
      '  PRIMARY KEY (id)',
      ');',
      'CREATE TABLE notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text);',
      TIMEOUT,
      'ALTER TABLE customers ADD COLUMN phone varchar(20);',
    ]);
    expect(hits).toEqual(['MIG015:1', 'MIG015:1', 'MIG015:1', 'MIG015:12']);
    const composite = await migrationHits([
      'CREATE TABLE lines (order_id bigint, line_no integer, PRIMARY KEY (order_id, line_no));',
    ]);
    expect(composite).toEqual([]);
    const result = await analyze(['CREATE TABLE t (id integer PRIMARY KEY, seen timestamp(3));']);
    expect(result.findings.map((f) => f.message).sort()).toEqual([
      'Column t.id is a int4 primary key: prefer bigint identity.',
      'Column t.seen is timestamp without time zone: prefer timestamptz.',
    ]);
  });

  it('now() and CURRENT_TIMESTAMP are stable: instant from PostgreSQL 11', async () => {
    const hits = await migrationHits([
      TIMEOUT,
      'ALTER TABLE orders ADD COLUMN seen_at timestamptz NOT NULL DEFAULT now();',
      'ALTER TABLE orders ADD COLUMN seen_at2 timestamptz DEFAULT CURRENT_TIMESTAMP;',
    ]);
    expect(hits).toEqual([]);
  });

  it('a constant default rewrites before PostgreSQL 11 only; a volatile one always', async () => {
    const constant = [TIMEOUT, "ALTER TABLE orders ADD COLUMN region text DEFAULT 'eu';"];
    expect(await migrationHits(constant, 10)).toEqual(['MIG002:2']);
    expect(await migrationHits(constant, 11)).toEqual([]);
    expect(await migrationHits(constant)).toEqual([]);
    const volatile = [
      TIMEOUT,
      'ALTER TABLE orders ADD COLUMN seen_at timestamptz DEFAULT clock_timestamp();',
    ];
    expect(await migrationHits(volatile, 16)).toEqual(['MIG002:2']);
    expect(await migrationHits([TIMEOUT, 'ALTER TABLE orders ADD COLUMN n bigserial;'], 16)).toEqual([
      'MIG002:2',
    ]);
  });

  it('SET NOT NULL uses a validated check from PostgreSQL 12 only', async () => {
    const recipe = [
      TIMEOUT,
      'ALTER TABLE orders ADD CONSTRAINT region_not_null CHECK (region IS NOT NULL) NOT VALID;',
      'ALTER TABLE orders VALIDATE CONSTRAINT region_not_null;',
      'ALTER TABLE orders ALTER COLUMN region SET NOT NULL;',
    ];
    expect(await migrationHits(recipe, 12)).toEqual([]);
    expect(await migrationHits(recipe, 11)).toEqual(['MIG009:4']);
    // Not validated: the NOT VALID check does not prove the column.
    expect(await migrationHits([recipe[0] ?? '', recipe[1] ?? '', recipe[3] ?? ''], 16)).toEqual([
      'MIG009:3',
    ]);
  });

  it('knows transaction blocks: CONCURRENTLY inside one fails, a nested BEGIN is reported', async () => {
    const hits = await migrationHits([
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
    expect(two.findings.map((f) => f.message)).toEqual([
      'CREATE INDEX a_idx … CONCURRENTLY inside a transaction block fails.',
      'CREATE INDEX b_idx … CONCURRENTLY inside a transaction block fails.',
    ]);
  });

  it('reports a missing lock_timeout once per file, and not when SET LOCAL sets it', async () => {
    expect(
      await migrationHits(['ALTER TABLE orders ADD COLUMN a text;', 'ALTER TABLE orders ADD COLUMN b text;']),
    ).toEqual(['MIG013:1']);
    expect(
      await migrationHits([
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
    const allowed = await migrationHits([
      '-- aiops:allow MIG011 the archive table was emptied last release',
      'DROP TABLE refunds;',
    ]);
    expect(allowed).toEqual([]);
  });

  it('validates postgresVersion', async () => {
    await expect(
      runAgent('db-query-analyzer', { sql: 'SELECT 1;', options: { postgresVersion: 7 } }, context),
    ).rejects.toBeInstanceOf(AgentValidationError);
  });
});
