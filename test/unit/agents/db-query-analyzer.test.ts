/**
 * db-query-analyzer on realistic inputs (test/fixtures/sql): a shop schema,
 * good and bad queries, a query log, a pg_stat_statements export, EXPLAIN
 * plans, a pg_dump file and suppressions.
 */
import { describe, expect, it, jest } from '@jest/globals';
import type { AgentResult, Finding } from '../../../shared/agents/contract.js';
import agent, { acceptsSqlInput } from '../../../shared/agents/db-query-analyzer/index.js';
import { RULES } from '../../../shared/agents/db-query-analyzer/rules.js';
import type { DbQueryOutput } from '../../../shared/agents/db-query-analyzer/schema.js';
import { runAgent, validateAgentInput } from '../../../shared/agents/registry.js';
import { toSarif } from '../../../shared/agents/sarif.js';
import { AgentValidationError } from '../../../shared/core/errors.js';
import { fixture } from '../../helpers/fixtures.js';
import { sarifSchemaErrors } from '../../helpers/sarif.js';

jest.setTimeout(60_000);

const context = { traceId: 'trace-db-query', now: new Date('2024-06-01T12:00:00Z') };

function file(name: string, path = `db/${name}`): { path: string; content: string } {
  return { path, content: fixture(`sql/${name}`) };
}

async function analyze(input: unknown): Promise<DbQueryOutput> {
  // Through the registry: input validated, output checked against the agent's schema.
  return (await runAgent('db-query-analyzer', input, context)) as AgentResult as DbQueryOutput;
}

/** `RULE file:line` of each unsuppressed finding, sorted. */
function places(findings: readonly Finding[]): string[] {
  return findings
    .filter((f) => !f.suppressed)
    .map((f) => `${f.ruleId} ${f.resource?.file ?? '-'}:${f.resource?.line ?? '-'}`)
    .sort();
}

function only(findings: readonly Finding[], ruleId: string): Finding[] {
  return findings.filter((f) => f.ruleId === ruleId);
}

describe('schema and queries', () => {
  it('reports nothing on queries the schema indexes well, and checks each against the DDL', async () => {
    // Act
    const result = await analyze({ files: [file('schema.sql'), file('good-queries.sql')] });

    // Assert
    expect(result.findings).toEqual([]);
    expect(result.score).toBe(100);
    expect(result.metrics).toMatchObject({
      tables: 5,
      indexes: 13,
      queries: 16,
      namesChecked: 16,
      parseErrors: 0,
    });
    expect(result.summary).toContain('no findings');
  });

  it('reports each rule at its file and line in a file of bad queries', async () => {
    // Act
    const result = await analyze({ files: [file('schema.sql'), file('bad-queries.sql')] });

    // Assert
    const bad = 'db/bad-queries.sql';
    expect(places(result.findings)).toEqual(
      [
        `SQL000 ${bad}:56`,
        `SQL001 ${bad}:4`,
        `SQL002 ${bad}:9`,
        `SQL003 ${bad}:14`,
        `SQL004 ${bad}:19`,
        `SQL005 ${bad}:24`,
        `SQL006 ${bad}:28`,
        `SQL007 ${bad}:32`,
        `SQL008 ${bad}:37`,
        `SQL009 ${bad}:40`,
        // customers.country in the cartesian query, payments.order_id, order_items.product_id
        `SQL010 ${bad}:29`,
        `SQL010 ${bad}:45`,
        `SQL010 ${bad}:48`,
        `SQL012 ${bad}:48`,
        `SQL013 ${bad}:54`,
        `SQL014 ${bad}:51`,
      ].sort(),
    );
    const high = result.findings.filter((f) => f.severity === 'high').map((f) => f.ruleId);
    expect(high.sort()).toEqual(['SQL002', 'SQL006', 'SQL013', 'SQL014']);
    expect(only(result.findings, 'SQL014')[0]).toMatchObject({
      evidence: { column: 'shipping_address' },
      resource: { kind: 'Statement', name: 'SELECT id, shipping_address FROM orders WHERE id = $1' },
    });
    expect(only(result.findings, 'SQL013')[0]?.evidence).toEqual({ relation: 'invoices' });
    expect(only(result.findings, 'SQL006')[0]?.message).toMatch(/^customers c and orders o are not joined/);
    expect(result.indexSuggestions.map((s) => s.ddl)).toContain(
      'CREATE INDEX CONCURRENTLY payments_order_id_idx ON payments (order_id);',
    );
    expect(result.score).toBe(100 - 4 * 10 - 11 * 4 - 1);
  });

  it('reads a pg_dump file: COPY data and psql meta-commands skipped, two statements on one line', async () => {
    // Act
    const result = await analyze({ files: [file('pg_dump.sql')] });

    // Assert
    expect(result.metrics).toMatchObject({ parseErrors: 0, tables: 1, indexes: 2 });
    expect(places(result.findings)).toEqual(['SQL010 db/pg_dump.sql:25', 'SQL010 db/pg_dump.sql:26']);
    expect(result.findings[0]?.message).toContain(
      'CREATE INDEX CONCURRENTLY sessions_customer_id_idx ON public.sessions (customer_id);',
    );
  });

  it("checks names when a table uses an extension's type, and a materialized view's columns", async () => {
    // Arrange
    const sql = [
      'CREATE TABLE places (id bigint PRIMARY KEY, location geography(Point, 4326), label text);',
      'CREATE MATERIALIZED VIEW place_counts AS SELECT label, count(*) AS n FROM places GROUP BY label;',
      'SELECT id, labl FROM places WHERE id = $1;',
      'SELECT label, n, whatever FROM place_counts;',
      'SELECT id FROM places WHERE id = $1;',
    ].join('\n');

    // Act
    const result = await analyze({ sql });

    // Assert
    // labl on places; whatever on the view, whose columns are its query's (label, n).
    expect(places(result.findings)).toEqual(['SQL014 input.sql:3', 'SQL014 input.sql:4']);
    expect(result.metrics.ddlFailures).toBe(0);
  });
  it('follows migrations: renamed tables and columns, added and dropped columns, constraints added later', async () => {
    // Arrange
    const sql = [
      'CREATE TABLE accts (id bigint PRIMARY KEY, mail text, legacy bigint);',
      'ALTER TABLE accts RENAME TO accounts;',
      'ALTER TABLE accounts RENAME COLUMN mail TO email;',
      'ALTER TABLE accounts ADD COLUMN handle text UNIQUE;',
      'ALTER TABLE accounts DROP COLUMN legacy;',
      'SELECT id FROM accounts WHERE handle = $1;',
      'SELECT id FROM accounts WHERE email = $1;',
      'SELECT legacy FROM accounts;',
      'SELECT id FROM accts;',
    ].join('\n');

    // Act
    const result = await analyze({ sql });

    // Assert
    expect(places(result.findings)).toEqual([
      'SQL010 input.sql:7',
      'SQL013 input.sql:9',
      'SQL014 input.sql:8',
    ]);
    expect(result.metrics).toMatchObject({ tables: 1, indexes: 2, ddlFailures: 0 });
  });
});

describe('query logs and statistics', () => {
  it('finds the N+1 in a query log: one fingerprint, many literals', async () => {
    // Act
    const result = await analyze({ files: [file('schema.sql'), file('query-log.sql')] });

    // Assert
    expect(places(result.findings)).toEqual(['SQL011 db/query-log.sql:4']);
    expect(only(result.findings, 'SQL011')[0]?.evidence).toMatchObject({
      occurrences: 10,
      distinctLiterals: 10,
    });
    const items = result.topQueries.find((q) => q.query.includes('FROM order_items'));
    expect(items).toMatchObject({ calls: 10, line: 4, ruleIds: ['SQL011'] });
    // The same literal six times (a session setting) is not an N+1.
    expect(result.topQueries.find((q) => q.query.startsWith('SELECT set_config'))?.calls).toBe(6);
  });

  it('reads a PostgreSQL server log: statements on their lines, continuation lines included', async () => {
    // Act
    const result = await analyze({ files: [file('schema.sql'), file('postgresql.log')] });

    // Assert
    expect(places(result.findings)).toEqual(['SQL011 db/postgresql.log:3', 'SQL013 db/postgresql.log:15']);
    expect(result.topQueries.find((q) => q.query.startsWith('SELECT c.email'))).toMatchObject({
      line: 9,
      calls: 1,
    });
    expect(result.metrics.parseErrors).toBe(0);
  });

  it('needs as many different literals as the threshold says', async () => {
    // Act
    const result = await analyze({ files: [file('query-log.sql')], options: { nPlusOneMin: 11 } });

    // Assert
    expect(only(result.findings, 'SQL011')).toEqual([]);
  });

  it('ranks a pg_stat_statements export by total time and raises findings on the hottest query', async () => {
    // Act
    const result = await analyze({ files: [file('schema.sql'), file('pg_stat_statements.csv')] });

    // Assert
    expect(result.topQueries.map((q) => [q.rank, q.line, q.sharePercent])).toEqual([
      [1, 2, 53.14],
      [2, 3, 25.1],
      [3, 8, 12.49],
      [4, 9, 5.71],
      [5, 10, 3.55],
    ]);
    expect(result.topQueries[0]).toMatchObject({
      query: 'SELECT id, amount_cents, captured_at FROM payments WHERE order_id = $1',
      calls: 182344,
      totalTimeMs: 912841.33,
      meanTimeMs: 5.01,
      file: 'db/pg_stat_statements.csv',
      ruleIds: ['SQL010'],
    });
    // 53% of the time: the missing index is raised from medium to high.
    const missing = only(result.findings, 'SQL010');
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatchObject({
      severity: 'high',
      resource: { file: 'db/pg_stat_statements.csv', line: 2 },
    });
    // The last query was cut at track_activity_query_size: reported, as info.
    expect(only(result.findings, 'SQL000')).toMatchObject([
      { severity: 'info', resource: { file: 'db/pg_stat_statements.csv', line: 12 } },
    ]);
    expect(result.metrics).toMatchObject({ statisticsRows: 7, totalExecTimeMs: 1717723.36 });
  });

  it('reads a pg_stat_statements JSON export with the line of each row', async () => {
    // Arrange
    const rows = [
      { queryid: 1, query: 'SELECT id FROM t WHERE a = $1', calls: 10, total_exec_time: 5, rows: 10 },
      {
        queryid: 2,
        query: 'SELECT * FROM t ORDER BY random() LIMIT $1',
        calls: 4,
        total_exec_time: 95,
        rows: 4,
      },
    ];
    const content = `{"pg_stat_statements": [\n  ${rows.map((r) => JSON.stringify(r)).join(',\n  ')}\n]}\n`;

    // Act
    const result = await analyze({ files: [{ path: 'stats/pg_stat_statements.json', content }] });

    // Assert
    expect(result.topQueries.map((q) => [q.line, q.sharePercent])).toEqual([
      [3, 95],
      [2, 5],
    ]);
    expect(places(result.findings)).toEqual([
      'SQL001 stats/pg_stat_statements.json:3',
      'SQL009 stats/pg_stat_statements.json:3',
    ]);
    expect(only(result.findings, 'SQL009')[0]?.severity).toBe('high');
  });

  it('takes statistics rows as JSON input, with PostgreSQL 12 column names', async () => {
    // Act
    const result = await analyze({
      statistics: [
        { query: 'SELECT * FROM events WHERE tenant_id = $1', calls: 1200, total_time: 3600.5, rows: 36000 },
        { query: 'SELECT id FROM events WHERE id = $1', calls: '9000', total_time: '900', mean_time: '0.1' },
      ],
    });

    // Assert
    expect(result.topQueries.map((q) => [q.query, q.totalTimeMs, q.meanTimeMs, q.sharePercent])).toEqual([
      ['SELECT * FROM events WHERE tenant_id = $1', 3600.5, 3, 80],
      ['SELECT id FROM events WHERE id = $1', 900, 0.1, 20],
    ]);
    // No file, so no line; the hot statement's low SELECT * is raised to medium.
    expect(result.findings).toMatchObject([
      { ruleId: 'SQL001', severity: 'medium', resource: { kind: 'Statement' } },
    ]);
    expect(result.findings[0]?.resource?.line).toBeUndefined();
  });
});

describe('plans', () => {
  it.each([
    ['explain-seqscan.json', [['PLAN001', 30, 'high']]],
    [
      'explain-sort-spill.json',
      [
        ['PLAN003', 4, 'medium'],
        ['PLAN001', 33, 'medium'],
      ],
    ],
    [
      'explain-hash-spill.json',
      [
        ['PLAN001', 63, 'medium'],
        ['PLAN004', 92, 'medium'],
        ['PLAN001', 121, 'medium'],
      ],
    ],
    [
      'explain-nested-loop.json',
      [
        ['PLAN005', 4, 'medium'],
        ['PLAN002', 29, 'medium'],
      ],
    ],
  ])('%s', async (name, expected) => {
    // Act
    const result = await analyze({ files: [file(name as string, `plans/${name}`)] });

    // Assert
    expect(result.findings.map((f) => [f.ruleId, f.resource?.line, f.severity])).toEqual(expected);
    for (const finding of result.findings)
      expect(finding.resource).toMatchObject({ kind: 'PlanNode', file: `plans/${name}` });
  });

  it('suggests the index a selective sequential scan misses, from its filter', async () => {
    // Act
    const result = await analyze({ files: [file('explain-seqscan.json')] });

    // Assert
    expect(result.findings[0]).toMatchObject({
      resource: { name: 'Seq Scan on payments' },
      evidence: { rowsRead: 3000003, rowsReturned: 3, rowsRemovedByFilter: 3000000 },
    });
    expect(result.findings[0]?.message).toContain(
      'CREATE INDEX CONCURRENTLY payments_order_id_idx ON payments (order_id);',
    );
    expect(result.metrics).toMatchObject({ plans: 1, planNodes: 2 });
  });

  it('reads a plan given as psql output text in the input', async () => {
    // Arrange
    const json = fixture('sql/explain-sort-spill.json').trimEnd().split('\n');
    const text = [' QUERY PLAN', '-'.repeat(40), ...json.map((line) => ` ${line}+`), '(1 row)', ''].join(
      '\n',
    );

    // Act
    const result = await analyze({ plans: [text] });

    // Assert
    expect(result.findings.map((f) => [f.ruleId, f.resource?.name, f.resource?.file])).toEqual([
      ['PLAN001', 'plans[0]: Seq Scan on orders', undefined],
      ['PLAN003', 'plans[0]: Sort', undefined],
    ]);
  });

  it('does not report a misestimate under a LIMIT (the node stops early) or below 1000 rows', async () => {
    // Arrange
    const scan = {
      'Node Type': 'Seq Scan',
      'Relation Name': 'events',
      'Plan Rows': 50000,
      'Actual Rows': 20,
      'Actual Loops': 1,
    };
    const small = {
      'Node Type': 'Seq Scan',
      'Relation Name': 'tiny',
      'Plan Rows': 1,
      'Actual Rows': 90,
      'Actual Loops': 1,
    };

    // Act
    const result = await analyze({
      plans: [
        [
          {
            Plan: {
              'Node Type': 'Limit',
              'Plan Rows': 20,
              'Actual Rows': 20,
              'Actual Loops': 1,
              Plans: [scan],
            },
          },
        ],
        { Plan: small },
      ],
    });

    // Assert
    expect(result.findings).toEqual([]);
  });
});

describe('suppressions', () => {
  it('applies inline allows, and reports an allow without a reason instead of applying it', async () => {
    // Act
    const result = await analyze({
      files: [file('schema.sql'), file('suppressed.sql', 'reports/suppressed.sql')],
    });

    // Assert
    const suppressed = result.findings
      .filter((f) => f.suppressed)
      .map((f) => [f.ruleId, f.resource?.line, f.suppressionSource, f.suppressionReason]);
    expect(suppressed).toEqual([
      ['SQL009', 8, 'inline', 'three featured products on a 200-row table'],
      ['SQL007', 11, 'inline', 'the back-office list is capped at page 50'],
      ['SQL001', 4, 'inline', 'the export job writes every column to the archive, schema changes included'],
    ]);
    expect(places(result.findings)).toEqual([
      'AIOPS000 reports/suppressed.sql:13',
      'SQL002 reports/suppressed.sql:14',
      'SQL002 reports/suppressed.sql:16',
    ]);
    expect(result.score).toBe(100 - 10 - 10 - 1);
  });

  it('applies .aiopsignore entries by path glob', async () => {
    // Act
    const result = await analyze({
      files: [
        file('suppressed.sql', 'reports/suppressed.sql'),
        { path: '.aiopsignore', content: fixture('sql/aiopsignore.txt') },
      ],
    });

    // Assert
    expect(only(result.findings, 'SQL002').map((f) => [f.resource?.line, f.suppressionSource])).toEqual([
      [14, 'aiopsignore'],
      [16, 'aiopsignore'],
    ]);
  });

  it('applies the input ignore list to the files its path matches', async () => {
    // Arrange
    const files = [file('suppressed.sql', 'reports/suppressed.sql'), file('bad-queries.sql', 'app/bad.sql')];
    const ignore = [
      { ruleId: 'SQL002', path: 'reports/**', reason: 'staging resets, reviewed in #db-review' },
    ];

    // Act
    const result = await analyze({ files, ignore });

    // Assert
    expect(
      only(result.findings, 'SQL002').map((f) => [f.resource?.file, f.resource?.line, f.suppressionSource]),
    ).toEqual([
      ['app/bad.sql', 9, undefined],
      ['reports/suppressed.sql', 14, 'input'],
      ['reports/suppressed.sql', 16, 'input'],
    ]);
  });

  it('writes SARIF 2.1.0 with its rules, places and suppressions', async () => {
    // Arrange
    const result = await analyze({
      files: [file('schema.sql'), file('suppressed.sql'), file('explain-seqscan.json')],
    });

    // Act
    const log = toSarif([{ agent, rules: agent.rules, result }]);

    // Assert
    expect(sarifSchemaErrors(log)).toEqual([]);
    const results = log.runs[0]?.results ?? [];
    expect(results.filter((r) => r.suppressions !== undefined).map((r) => r.ruleId)).toEqual([
      'SQL009',
      'SQL007',
      'SQL001',
    ]);
    expect(
      results.find((r) => r.ruleId === 'PLAN001')?.locations?.[0]?.physicalLocation?.region?.startLine,
    ).toBe(30);
  });

  it('covers every line of the statement under an allow comment', async () => {
    // Arrange
    const sql = [
      '-- aiops:allow SQL004 month reports, the table is small',
      'SELECT id',
      'FROM t',
      "WHERE date_trunc('month', at) = $1;",
    ].join('\n');

    // Act
    const result = await analyze({ sql });

    // Assert
    expect(result.findings).toMatchObject([{ ruleId: 'SQL004', suppressed: true, resource: { line: 4 } }]);
  });
});

describe('rules', () => {
  const cases: [string, string, string[]][] = [
    [
      'SELECT * inside EXISTS and derived tables',
      'SELECT a FROM (SELECT * FROM t) s WHERE EXISTS (SELECT * FROM u WHERE u.id = s.a)',
      [],
    ],
    ['t.* in the result', 'SELECT t.* FROM t WHERE t.id = 1', ['SQL001']],
    ['UPDATE … WHERE 1 = 1', 'UPDATE t SET a = 1 WHERE 1 = 1', ['SQL002']],
    ['DELETE … WHERE CURRENT OF', 'DELETE FROM t WHERE CURRENT OF c', []],
    ["LIKE 'prefix%'", "SELECT a FROM t WHERE name LIKE 'abc%'", []],
    ["ILIKE '%' || $1", "SELECT a FROM t WHERE name ILIKE '%' || $1", ['SQL003']],
    ['NOT LIKE with a leading _', "SELECT a FROM t WHERE code NOT LIKE '_x'", ['SQL003']],
    ['arithmetic on a column', 'SELECT a FROM t WHERE price * 1.2 > $1', ['SQL004']],
    ['now() minus a column', "SELECT a FROM t WHERE now() - created_at > interval '1 day'", ['SQL004']],
    ['a function of constants only', "SELECT a FROM t WHERE created_at > now() - interval '1 day'", []],
    ['JSON field in a condition', "SELECT a FROM t WHERE data ->> 'kind' = $1", ['SQL004']],
    ['aggregate in HAVING', 'SELECT a, count(*) FROM t GROUP BY a HAVING count(*) > 1', []],
    ['<> ALL (subquery)', 'SELECT a FROM t WHERE a <> ALL (SELECT b FROM u)', ['SQL005']],
    ['NOT EXISTS', 'SELECT a FROM t WHERE NOT EXISTS (SELECT 1 FROM u WHERE u.b = t.a)', []],
    ['NOT IN a list', 'SELECT a FROM t WHERE a NOT IN (1, 2, 3)', []],
    ['CROSS JOIN of two tables', 'SELECT 1 FROM a CROSS JOIN b', ['SQL006']],
    ['JOIN … ON true', 'SELECT 1 FROM a JOIN b ON true', ['SQL006']],
    ['comma join linked in WHERE', 'SELECT 1 FROM a, b WHERE a.id = b.a_id', []],
    ['JOIN USING', 'SELECT 1 FROM a JOIN b USING (id)', []],
    [
      'UPDATE … FROM joined through a function',
      'UPDATE a SET z = 1 FROM b WHERE substring(a.x, 1, 3) = b.y',
      ['SQL004'],
    ],
    [
      'UPDATE … FROM joined through an expression',
      'UPDATE a SET z = 1 FROM b WHERE lower(a.x) || $1 = b.y',
      ['SQL004'],
    ],
    [
      'DELETE … USING joined through a function',
      'DELETE FROM a USING b WHERE upper(a.x) = trim(b.y)',
      ['SQL004'],
    ],
    [
      'UPDATE with an alias, joined through a cast',
      'UPDATE a t SET z = 1 FROM b WHERE t.x::int = b.y',
      ['SQL004'],
    ],
    ['UPDATE … FROM not joined', 'UPDATE a SET z = 1 FROM b WHERE b.y = 1', ['SQL006']],
    [
      'linked through a correlated subquery',
      'SELECT 1 FROM a, b WHERE EXISTS (SELECT 1 FROM c WHERE c.x = a.id AND c.y = b.id)',
      [],
    ],
    ['set-returning function', 'SELECT 1 FROM a, generate_series(1, 10) g', []],
    ['LATERAL subquery', 'SELECT 1 FROM a, LATERAL (SELECT * FROM b WHERE b.a = a.id LIMIT 3) x', []],
    ['one-row subquery', 'SELECT a.x / m.total FROM a CROSS JOIN (SELECT sum(x) AS total FROM a) m', []],
    ['unqualified columns, no DDL', 'SELECT 1 FROM a, b WHERE a_id = id', []],
    ['OFFSET as a parameter', 'SELECT a FROM t ORDER BY a LIMIT 10 OFFSET $1', ['SQL007']],
    ['small OFFSET', 'SELECT a FROM t ORDER BY a LIMIT 10 OFFSET 40', []],
    ['OR of one column', "SELECT a FROM t WHERE status = 'a' OR status = 'b'", []],
    ['optional filter', 'SELECT a FROM t WHERE ($1::int IS NULL OR a = $1)', []],
    ['OR across tables', 'SELECT 1 FROM a JOIN b ON b.a_id = a.id WHERE a.x = 1 OR b.y = 2', ['SQL008']],
    [
      'ORDER BY random() in a subquery',
      'SELECT * FROM (SELECT id FROM t ORDER BY random() LIMIT 5) s',
      ['SQL001', 'SQL009'],
    ],
    [
      '(SELECT count(*) …) = 0',
      'SELECT a FROM t WHERE (SELECT count(*) FROM u WHERE u.t_id = t.id) = 0',
      ['SQL012'],
    ],
    ['1 <= count(*)', 'SELECT 1 <= count(*) FROM t WHERE a = 1', ['SQL012']],
    ['count compared with 5', 'SELECT count(*) > 5 FROM t', []],
    ['count per group', 'SELECT a, count(*) > 0 FROM t GROUP BY a', []],
  ];

  it.each(cases)('%s', async (_name, sql, expected) => {
    // Act
    const result = await analyze({ sql });

    // Assert
    expect([...new Set(result.findings.map((f) => f.ruleId))].sort()).toEqual(expected);
  });

  const SCHEMA = `
    CREATE TABLE accounts (id bigint PRIMARY KEY, email text, tenant_id bigint NOT NULL, created_at timestamptz);
    CREATE TABLE events (id bigint PRIMARY KEY, account_id bigint NOT NULL, kind text, at timestamptz NOT NULL);
    CREATE INDEX accounts_email_lower ON accounts (lower(email));
    CREATE INDEX events_at ON events (at);
    CREATE INDEX accounts_tenant ON accounts (tenant_id);
  `;
  const indexCases: [string, string, string[]][] = [
    ['expression index', 'SELECT id FROM accounts WHERE lower(email) = $1', []],
    ['expression without an index', 'SELECT id FROM accounts WHERE upper(email) = $1', ['SQL004']],
    [
      'equality then range: index leads with the range',
      'SELECT id FROM events WHERE kind = $1 AND at > $2',
      ['SQL010'],
    ],
    [
      'correlated lookup without an index',
      'SELECT a.id FROM accounts a WHERE EXISTS (SELECT 1 FROM events e WHERE e.account_id = a.id)',
      ['SQL010'],
    ],
    [
      'top-N without an index for the order',
      'SELECT id FROM accounts ORDER BY created_at DESC LIMIT 10',
      ['SQL010'],
    ],
    ['top-N served by the index', 'SELECT id FROM events ORDER BY at DESC LIMIT 10', []],
    [
      'joined from a filtered table, no index on the join column',
      'SELECT e.id FROM accounts a JOIN events e ON e.account_id = a.id WHERE a.tenant_id = $1',
      ['SQL010'],
    ],
    ['OR of two indexed columns', 'SELECT id FROM accounts WHERE tenant_id = $1 OR id = $2', ['SQL008']],
    [
      // legacy_code is not in the DDL (dropped later, or not read): the condition may still join both tables.
      'UPDATE … FROM through a function of a column the DDL lacks',
      'UPDATE accounts SET email = $1 FROM events WHERE substring(legacy_code, 1, 3) = events.kind',
      ['SQL010', 'SQL014'],
    ],
  ];

  it.each(indexCases)('with DDL: %s', async (_name, query, expected) => {
    // Act
    const result = await analyze({ sql: `${SCHEMA}\n${query};` });

    // Assert
    expect([...new Set(result.findings.map((f) => f.ruleId))].sort()).toEqual(expected);
  });

  it('orders a suggested index: equality columns, then the range column', async () => {
    // Act
    const result = await analyze({
      sql: `${SCHEMA}\nSELECT id FROM events WHERE kind = $1 AND account_id = $2 AND at >= $3;`,
    });

    // Assert
    expect(result.findings).toMatchObject([{ ruleId: 'SQL010', severity: 'low' }]);
    expect(result.indexSuggestions).toEqual([
      {
        table: 'events',
        columns: ['kind', 'account_id', 'at'],
        ddl: 'CREATE INDEX CONCURRENTLY events_kind_account_id_at_idx ON events (kind, account_id, at);',
        statements: 1,
      },
    ]);
  });

  it('lowers OR across columns to low when each has an index', async () => {
    // Act
    const result = await analyze({
      sql: `${SCHEMA}\nSELECT id FROM accounts WHERE tenant_id = $1 OR id = $2;`,
    });

    // Assert
    expect(result.findings[0]).toMatchObject({ ruleId: 'SQL008', severity: 'low' });
  });

  it('lists every rule with docs and remediation', () => {
    // Assess
    const ids = Object.keys(RULES);
    expect(ids).toEqual([
      'SQL000',
      'SQL001',
      'SQL002',
      'SQL003',
      'SQL004',
      'SQL005',
      'SQL006',
      'SQL007',
      'SQL008',
      'SQL009',
      'SQL010',
      'SQL011',
      'SQL012',
      'SQL013',
      'SQL014',
      'SQL015',
      'PLAN001',
      'PLAN002',
      'PLAN003',
      'PLAN004',
      'PLAN005',
    ]);
    for (const rule of Object.values(RULES)) expect(rule.description.length).toBeGreaterThan(50);
    expect(agent.rules?.byId.AIOPS000).toBeDefined();
  });
});

describe('input', () => {
  it('reads .sql always, and JSON or CSV when named as plans or statistics', () => {
    // Assess
    expect(
      ['db/schema.sql', 'q.psql', 'plans/explain-orders.json', 'pg_stat_statements.csv'].map(acceptsSqlInput),
    ).toEqual([true, true, true, true]);
    expect(['package.json', 'data/users.csv', 'README.md'].map(acceptsSqlInput)).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('builds its input from files and skips JSON and CSV it cannot read, saying why', async () => {
    // Arrange
    const input = agent.fromFiles?.([
      { path: 'db/q.sql', content: 'SELECT id FROM t WHERE id = 1;' },
      { path: 'db/plan.json', content: '{"not": "a plan"}' },
      { path: 'db/broken.json', content: '{' },
      { path: 'db/users.csv', content: 'id,name\n1,x\n' },
    ]);

    // Act
    const result = await analyze(input);

    // Assert
    expect(result.skipped).toEqual([
      { path: 'db/plan.json', reason: 'neither EXPLAIN (FORMAT JSON) output nor pg_stat_statements rows' },
      { path: 'db/broken.json', reason: 'not valid JSON' },
      { path: 'db/users.csv', reason: 'CSV without query and calls/time columns (not pg_stat_statements)' },
    ]);
    expect(result.findings).toEqual([]);
    expect(result.summary).toContain('3 files skipped');
  });

  it.each([
    [{}, 'input'],
    [{ plans: [{ rows: [] }] }, 'input.plans.0'],
    [{ plans: ['not json'] }, 'input.plans.0'],
    [{ sql: 'SELECT 1', options: { nPlusOneMin: 1 } }, 'input.options.nPlusOneMin'],
    [{ statistics: [{ calls: 3 }] }, 'input.statistics.0.query'],
  ])('rejects %j at %s', (input, path) => {
    // Act
    let error: unknown;
    try {
      validateAgentInput('db-query-analyzer', input);
    } catch (caught) {
      error = caught;
    }

    // Assert
    expect(error).toBeInstanceOf(AgentValidationError);
    expect((error as AgentValidationError).errors?.map((e) => e.path)).toContain(path);
  });
});

describe('db-query-analyzer: a migration history is checked in order', () => {
  const migration = (path: string, content: string) => ({ path: `db/migrate/${path}`, content });
  const history = [
    migration(
      '20190101000000_create_orders.sql',
      'CREATE TABLE orders (id bigint PRIMARY KEY, legacy_code text);\n',
    ),
    // Reads legacy_code, dropped later: fine when it ran. Writes total_cents, added later: it would fail.
    migration(
      '20190201000000_backfill.sql',
      'UPDATE orders SET legacy_code = upper(legacy_code) WHERE id > 0;\nUPDATE orders SET total_cents = 0 WHERE id > 0;\nSELECT id FROM invoices WHERE id = 1;\n',
    ),
    migration(
      '20190301000000_totals.sql',
      'ALTER TABLE orders ADD COLUMN total_cents bigint;\nALTER TABLE orders DROP COLUMN legacy_code;\nCREATE TABLE invoices (id bigint);\n',
    ),
    migration(
      '20190401000000_read.sql',
      'SELECT total_cents FROM orders WHERE id = 1;\nSELECT id FROM invoices WHERE id = 2;\n',
    ),
  ];

  it('judges SQL013/SQL014 against the schema as of each statement, not the final one', async () => {
    // Act
    const result = await analyze({ files: history });

    // Assert
    const names = result.findings
      .filter((f) => f.ruleId === 'SQL013' || f.ruleId === 'SQL014')
      .map((f) => `${f.ruleId} ${f.resource?.file}:${f.resource?.line} ${JSON.stringify(f.evidence)}`)
      .sort();
    expect(names).toEqual([
      'SQL013 db/migrate/20190201000000_backfill.sql:3 {"relation":"invoices"}',
      'SQL014 db/migrate/20190201000000_backfill.sql:2 {"column":"total_cents"}',
    ]);
  });

  it('judges files that are not a history against the final schema', async () => {
    // Arrange: the same statements, in files not named as steps
    const files = history.map((f, i) => ({ ...f, path: `db/part-${'dcba'[i]}.sql` }));

    // Act
    const result = await analyze({ files });

    // Assert
    const names = result.findings.filter((f) => f.ruleId === 'SQL013' || f.ruleId === 'SQL014');
    expect(names.map((f) => f.evidence)).toEqual([{ column: 'legacy_code' }]);
  });
});
