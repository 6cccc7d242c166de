/**
 * Migration histories (db-query-analyzer history.ts): the layouts recognised
 * as ordered steps, the order statements ran in (a step's down right after its
 * up), and which statements are down migrations.
 */
import { describe, expect, it } from '@jest/globals';
import {
  downMigrations,
  downSectionLine,
  migrationHistory,
  toolTransactions,
} from '../../../shared/agents/db-query-analyzer/history.js';
import { type Statement, untemplated } from '../../../shared/agents/db-query-analyzer/sql-source.js';
import { runAgent } from '../../../shared/agents/registry.js';

const file = (path: string, content = 'SELECT 1;') => ({ path, content });
const statement = (path: string, line = 1) => ({ file: path, line }) as Statement;

/** The files' first statements, in the order the history ran them. */
function ranOrder(paths: readonly string[]): string[] {
  const history = migrationHistory(paths.map((p) => file(p)));
  if (history === undefined) throw new Error('not a history');
  return paths
    .map((p) => statement(p))
    .sort(history.order)
    .map((s) => s.file ?? '');
}

describe('migrationHistory', () => {
  it('orders timestamped and numbered files by their numbers, not as text', () => {
    expect(ranOrder(['m/0010_c.sql', 'm/009_b.sql', 'm/000001_a.sql'])).toEqual([
      'm/000001_a.sql',
      'm/009_b.sql',
      'm/0010_c.sql',
    ]);
    expect(ranOrder(['db/20240201000000_b.sql', 'db/20240105080000_a.sql'])).toEqual([
      'db/20240105080000_a.sql',
      'db/20240201000000_b.sql',
    ]);
  });

  it('runs a golang-migrate step down right after its up, before the next step', () => {
    expect(
      ranOrder(['m/000002_b.up.sql', 'm/000001_a.down.sql', 'm/000002_b.down.sql', 'm/000001_a.up.sql']),
    ).toEqual(['m/000001_a.up.sql', 'm/000001_a.down.sql', 'm/000002_b.up.sql', 'm/000002_b.down.sql']);
  });

  it('reads Diesel / sourcegraph step folders and Prisma migration.sql folders', () => {
    expect(
      ranOrder([
        'migrations/2024-02-01-000000_b/up.sql',
        'migrations/2024-01-01-000000_a/down.sql',
        'migrations/2024-01-01-000000_a/up.sql',
      ]),
    ).toEqual([
      'migrations/2024-01-01-000000_a/up.sql',
      'migrations/2024-01-01-000000_a/down.sql',
      'migrations/2024-02-01-000000_b/up.sql',
    ]);
    expect(
      ranOrder(['prisma/migrations/20240201_b/migration.sql', 'prisma/migrations/20240101_a/migration.sql']),
    ).toEqual(['prisma/migrations/20240101_a/migration.sql', 'prisma/migrations/20240201_b/migration.sql']);
  });

  it('reads Flyway versions as numbers, undo after its version, repeatables last', () => {
    expect(
      ranOrder(['sql/R__views.sql', 'sql/V10__c.sql', 'sql/U2__b.sql', 'sql/V2__b.sql', 'sql/V1_1__a.sql']),
    ).toEqual(['sql/V1_1__a.sql', 'sql/V2__b.sql', 'sql/U2__b.sql', 'sql/V10__c.sql', 'sql/R__views.sql']);
  });

  it('counts steps, an up and its down once', () => {
    const history = migrationHistory(
      ['m/000001_a.up.sql', 'm/000001_a.down.sql', 'm/000002_b.up.sql'].map((p) => file(p)),
    );
    expect(history?.steps).toBe(2);
  });

  it('is no history for one file, or when any file is not named as a step', () => {
    expect(migrationHistory([file('db/20240101_a.sql')])).toBeUndefined();
    expect(migrationHistory([file('db/20240101_a.sql'), file('db/schema.sql')])).toBeUndefined();
    expect(migrationHistory([file('db/a/up.sql'), file('db/b/up.sql')])).toBeUndefined();
  });
});

describe('downMigrations', () => {
  it('marks down files and the down half of goose and dbmate files', () => {
    const goose = ['-- +goose Up', 'CREATE TABLE a (id bigint);', '-- +goose Down', 'DROP TABLE a;'].join(
      '\n',
    );
    const dbmate = [
      '-- migrate:up',
      'CREATE TABLE b (id bigint);',
      '',
      '-- migrate:down',
      'DROP TABLE b;',
    ].join('\n');
    const isDown = downMigrations([
      file('m/000001_a.down.sql'),
      file('m/000001_a.up.sql'),
      file('db/20240101_goose.sql', goose),
      file('db/20240102_dbmate.sql', dbmate),
    ]);
    expect(isDown(statement('m/000001_a.down.sql'))).toBe(true);
    expect(isDown(statement('m/000001_a.up.sql'))).toBe(false);
    expect([2, 4].map((line) => isDown(statement('db/20240101_goose.sql', line)))).toEqual([false, true]);
    expect([2, 5].map((line) => isDown(statement('db/20240102_dbmate.sql', line)))).toEqual([false, true]);
    expect(downSectionLine('CREATE TABLE c (id bigint);')).toBeUndefined();
  });
});

describe('db-query-analyzer on templates', () => {
  const context = { traceId: 'trace-templates', now: new Date('2026-05-01T12:00:00Z') };
  const namespace = '{{ index .Options "Namespace" }}';

  it('reads each value tag as a name, and counts what still does not parse once, not per line', async () => {
    // Arrange: Go text/template, as supabase/auth writes its migrations
    const content = [
      `CREATE TABLE IF NOT EXISTS ${namespace}.users (id uuid NOT NULL, email text);`,
      '{{ if .WithPhone }}',
      `ALTER TABLE ${namespace}.accounts ADD COLUMN phone text NOT NULL;`,
      '{{ end }}',
      `SELECT id FROM ${namespace}.users WHERE email IN ({{ range .Emails }}'{{ . }}',{{ end }});`,
      `DELETE FROM ${namespace}.users WHERE id IN ({{ range .Ids }}{{ . }},{{ end }});`,
    ].join('\n');
    const files = [{ path: 'migrations/20240101000000_users.up.sql', content }];

    // Act
    const result = await runAgent('db-query-analyzer', { files }, context);

    // Assert: the ADD COLUMN on an existing table is read (MIG001 at its line); the two IN lists are one info finding.
    const found = result.findings.map((f) => `${f.ruleId}:${f.resource?.line}:${f.severity}`);
    expect(found).toContain('MIG001:3:high');
    const parse = result.findings.filter((f) => f.ruleId === 'SQL000');
    expect(parse).toHaveLength(1);
    expect(parse[0]).toMatchObject({ severity: 'info', resource: { line: 5 } });
    expect(parse[0]?.message).toMatch(/template .* 2 statements still did not parse/);
  });
});

describe('db-query-analyzer on a history with down migrations', () => {
  const context = { traceId: 'trace-down', now: new Date('2026-05-01T12:00:00Z') };
  const step = (name: string, direction: 'up' | 'down', content: string) => ({
    path: `migrations/${name}/${direction}.sql`,
    content,
  });

  it('builds the schema later steps see without the down migrations, and still lints them', async () => {
    // Arrange: Diesel's layout; each down undoes its up
    const files = [
      step('2024-01-01-000000_orders', 'up', 'CREATE TABLE orders (id bigint PRIMARY KEY, note text);\n'),
      step('2024-01-01-000000_orders', 'down', 'DROP TABLE orders;\n'),
      step('2024-02-01-000000_read', 'up', 'SELECT note FROM orders WHERE id = 1;\n'),
    ];

    // Act
    const result = await runAgent('db-query-analyzer', { files }, context);

    // Assert: the SELECT runs on orders (the down that drops it is a rollback, not a step); the DROP is linted.
    const found = result.findings.map((f) => `${f.ruleId} ${f.resource?.file}:${f.resource?.line}`);
    expect(found.filter((f) => /^SQL01[34]/.test(f))).toEqual([]);
    expect(found).toContain('MIG011 migrations/2024-01-01-000000_orders/down.sql:1');
  });
});

describe('toolTransactions and the migration rules', () => {
  const context = { traceId: 'trace-tool-tx', now: new Date('2026-05-01T12:00:00Z') };
  const concurrent =
    "SET lock_timeout = '5s';\nCREATE INDEX CONCURRENTLY orders_placed_idx ON orders (placed_at);\n";

  it('knows which layouts run each file in a transaction of their own', () => {
    const wrapped = toolTransactions([
      file('migrations/2024-01-01-000000_orders/up.sql'),
      file('sql/V1__init.sql'),
      file('db/20240101_goose.sql', '-- +goose Up\nCREATE TABLE a (id bigint);\n'),
      file('db/20240102_goose.sql', '-- +goose NO TRANSACTION\n-- +goose Up\nCREATE INDEX CONCURRENTLY …;\n'),
      file('db/20240103_dbmate.sql', '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY …;\n'),
      file('db/20240104_dbmate.sql', '-- migrate:up\nCREATE TABLE b (id bigint);\n'),
      file('m/000001_init.up.sql'),
    ]);
    expect(
      [
        'migrations/2024-01-01-000000_orders/up.sql',
        'sql/V1__init.sql',
        'db/20240101_goose.sql',
        'db/20240102_goose.sql',
        'db/20240103_dbmate.sql',
        'db/20240104_dbmate.sql',
        'm/000001_init.up.sql',
      ].map(wrapped),
    ).toEqual([true, true, true, false, false, true, false]);
    expect(toolTransactions([file('m/000001_init.up.sql')], true)('m/000001_init.up.sql')).toBe(true);
  });

  it('reports CONCURRENTLY in a Diesel migration (it runs in a transaction) and no rerun hazard there', async () => {
    // Arrange
    const diesel = [{ path: 'migrations/2024-01-01-000000_idx/up.sql', content: concurrent }];
    const plain = [{ path: 'migrations/20240101000000_idx.sql', content: concurrent }];

    // Act
    const rules = async (files: { path: string; content: string }[], options = {}) =>
      (await runAgent('db-query-analyzer', { files, options }, context)).findings
        .map((f) => f.ruleId)
        .filter((r) => r.startsWith('MIG0'))
        .sort();

    // Assert
    expect(await rules(diesel)).toEqual(['MIG005', 'MIG026']);
    expect(await rules(plain)).toEqual(['MIG026', 'MIG027']);
    expect(await rules(plain, { assumeInTransaction: true })).toEqual(['MIG005', 'MIG026']);
  });
});

describe('untemplated', () => {
  it('names value tags, blanks control and comment tags, byte for byte, and leaves unclosed braces alone', () => {
    const jinja = '{# seed #}SELECT * FROM {{ schema }}.users{% if x %} WHERE id = 1{% endif %}; -- {{ open';
    const out = untemplated(jinja) ?? '';
    expect(Buffer.byteLength(out)).toBe(Buffer.byteLength(jinja));
    expect(out).toBe(
      `          SELECT * FROM schema______.users${' '.repeat(10)} WHERE id = 1${' '.repeat(11)}; -- {{ open`,
    );
    expect(untemplated('SELECT 1; -- { not a tag }')).toBeUndefined();
  });
});

describe('MIG027 in a migration history', () => {
  const context = { traceId: 'trace-rerun', now: new Date('2026-05-01T12:00:00Z') };
  const create =
    'CREATE TABLE refunds (id bigint PRIMARY KEY);\nCREATE INDEX refunds_id_idx ON refunds (id);\n';

  it('reports CREATE TABLE and its index outside a transaction in a step, not in a schema file', async () => {
    // Arrange: golang-migrate steps (no transaction of their own), and the same text as one schema file
    const history = [
      {
        path: 'm/000001_init.up.sql',
        content: 'CREATE TABLE IF NOT EXISTS orders (id bigint PRIMARY KEY);\n',
      },
      { path: 'm/000002_refunds.up.sql', content: create },
    ];
    const schema = [{ path: 'db/schema.sql', content: create }];
    const rerun = async (files: { path: string; content: string }[]) =>
      (await runAgent('db-query-analyzer', { files }, context)).findings
        .filter((f) => f.ruleId === 'MIG027')
        .map((f) => `${f.resource?.file}:${f.resource?.line}`);

    // Act / Assert
    expect(await rerun(history)).toEqual(['m/000002_refunds.up.sql:1', 'm/000002_refunds.up.sql:2']);
    expect(await rerun(schema)).toEqual([]);
  });
});
