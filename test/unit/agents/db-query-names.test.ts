/**
 * The name check (SQL013 / SQL014) on its own: the DDL replayed on a catalog
 * of names, each query resolved against it. Each case is one construct, with
 * the finding PostgreSQL would raise, or none where PostgreSQL would accept
 * the query (or where the replay cannot know, and must not guess).
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { loadModule } from 'libpg-query';
import { checkNames, REPLAYED_TYPES } from '../../../shared/agents/db-query-analyzer/name-check.js';
import {
  parseSqlFile,
  QUERY_TYPES,
  type Statement,
} from '../../../shared/agents/db-query-analyzer/sql-source.js';

beforeAll(async () => {
  await loadModule();
});

const SCHEMA = [
  'CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL, country text);',
  'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers, total_cents bigint, placed_at timestamptz);',
  'CREATE TABLE order_items (order_id bigint, product_id bigint, quantity int);',
].join('\n');

function split(sql: string): { ddl: Statement[]; queries: Statement[] } {
  const { statements, problems } = parseSqlFile('input.sql', sql);
  expect(problems).toEqual([]);
  return {
    ddl: statements.filter((s) => REPLAYED_TYPES.has(s.type)),
    queries: statements.filter((s) => QUERY_TYPES.has(s.type)),
  };
}

/**
 * `RULE name` of each query's finding, against the schema plus `ddl`; ` @text` is added when the
 * text at the finding's position is not the name itself (`@-`: no position).
 */
function check(query: string, ddl = ''): string[] {
  const { ddl: schema, queries } = split(`${SCHEMA}\n${ddl}\n${query}`);
  return checkNames(schema, queries).problems.map((p) => {
    const at =
      p.position === undefined
        ? '-'
        : /^\(?[^\s,()]+/.exec(p.statement.checkText?.slice(p.position - 1) ?? '')?.[0];
    return `${p.ruleId} ${p.name}${at === p.name ? '' : ` @${at}`}`;
  });
}

describe('relations (SQL013)', () => {
  it.each([
    ['a table the DDL lacks', 'SELECT id FROM invoices', ['SQL013 invoices']],
    ['schema-qualified in public', 'SELECT id FROM public.invoices', ['SQL013 public.invoices']],
    ['an INSERT target', 'INSERT INTO invoice (id) VALUES (1)', ['SQL013 invoice']],
    [
      'a relation in a subquery',
      'SELECT id FROM orders WHERE id IN (SELECT order_id FROM order_item)',
      ['SQL013 order_item'],
    ],
  ])('reports %s', (_name, query, expected) => {
    expect(check(query)).toEqual(expected);
  });

  it.each([
    ['a CTE name', 'WITH invoices AS (SELECT id FROM orders) SELECT id FROM invoices'],
    [
      'a recursive CTE',
      'WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5) SELECT i FROM n',
    ],
    ['a system catalog', 'SELECT relname FROM pg_class'],
    ['information_schema', 'SELECT table_name FROM information_schema.tables'],
    ['a schema the DDL does not create', 'SELECT id FROM billing.invoices'],
    ['another database', 'SELECT id FROM otherdb.public.invoices'],
    ['a name inside a function call', "SELECT nextval('invoice_seq')"],
  ])('leaves %s alone', (_name, query) => {
    expect(check(query)).toEqual([]);
  });

  it('knows sequences, views, materialized views, foreign tables, CREATE TABLE AS and created schemas', () => {
    const ddl = [
      'CREATE SEQUENCE invoice_seq;',
      'CREATE VIEW big_orders AS SELECT id, total_cents AS total FROM orders WHERE total_cents > 1000;',
      'CREATE MATERIALIZED VIEW order_counts AS SELECT customer_id, count(*) FROM orders GROUP BY customer_id;',
      'CREATE FOREIGN TABLE remote_rates (code text, rate numeric) SERVER fx;',
      'CREATE TABLE order_copy AS SELECT id, placed_at FROM orders;',
      'CREATE SCHEMA billing;',
      'CREATE TABLE billing.invoices (id bigint, order_id bigint);',
    ].join('\n');
    expect(check('SELECT last_value FROM invoice_seq', ddl)).toEqual([]);
    expect(check('SELECT id, total FROM big_orders', ddl)).toEqual([]);
    expect(check('SELECT total_cents FROM big_orders', ddl)).toEqual(['SQL014 total_cents']);
    expect(check('SELECT customer_id, count FROM order_counts', ddl)).toEqual([]);
    expect(check('SELECT rate FROM remote_rates', ddl)).toEqual([]);
    expect(check('SELECT placed_at, total_cents FROM order_copy', ddl)).toEqual(['SQL014 total_cents']);
    expect(check('SELECT order_id FROM billing.invoices', ddl)).toEqual([]);
    expect(check('SELECT id FROM billing.payments', ddl)).toEqual(['SQL013 billing.payments']);
    // Not on the search path: PostgreSQL would not find it, but the check does not judge it.
    expect(check('SELECT id FROM invoices', ddl)).toEqual([]);
  });

  it('follows renames, SET SCHEMA, drops and SET search_path', () => {
    const ddl = [
      'ALTER TABLE order_items RENAME TO line_items;',
      'CREATE SCHEMA archive;',
      'ALTER TABLE customers SET SCHEMA archive;',
      'CREATE VIEW v AS SELECT id FROM orders;',
      'DROP VIEW IF EXISTS v;',
      'DROP TABLE IF EXISTS nothing_here;',
    ].join('\n');
    expect(check('SELECT order_id FROM line_items', ddl)).toEqual([]);
    expect(check('SELECT order_id FROM order_items', ddl)).toEqual(['SQL013 order_items']);
    expect(check('SELECT email FROM archive.customers', ddl)).toEqual([]);
    expect(check('SELECT id FROM public.customers', ddl)).toEqual(['SQL013 public.customers']);
    expect(check('SELECT id FROM v', ddl)).toEqual(['SQL013 v']);
    expect(check('SELECT email FROM customers', `${ddl}\nSET search_path TO archive, public;`)).toEqual([]);
  });

  it('creates temp tables and SELECT INTO tables that later queries read', () => {
    const { ddl, queries } = split(
      `${SCHEMA}\nCREATE TEMP TABLE scratch (k int);\nSELECT id, email INTO mailing FROM customers;\nSELECT k FROM scratch;\nSELECT email FROM mailing;`,
    );
    expect(checkNames(ddl, queries).problems).toEqual([]);
  });
});

describe('columns (SQL014)', () => {
  it.each([
    ['unqualified', 'SELECT id, shipping FROM orders', ['SQL014 shipping']],
    ['qualified by an alias', 'SELECT o.totl FROM orders o', ['SQL014 o.totl']],
    [
      'in WHERE of a join',
      'SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id WHERE c.name = $1',
      ['SQL014 c.name'],
    ],
    [
      'in a correlated subquery',
      'SELECT id FROM orders o WHERE EXISTS (SELECT 1 FROM order_items i WHERE i.order_ref = o.id)',
      ['SQL014 i.order_ref'],
    ],
    ['in an INSERT column list', 'INSERT INTO orders (id, total) VALUES (1, 2)', ['SQL014 total']],
    ['in an UPDATE SET target', 'UPDATE orders SET total = 1 WHERE id = 2', ['SQL014 total']],
    ['in ORDER BY, not an output name', 'SELECT id FROM orders ORDER BY created_at', ['SQL014 created_at']],
    [
      'an output alias inside an ORDER BY expression (only a bare name may be one)',
      'SELECT total_cents AS t FROM orders ORDER BY t + 1',
      ['SQL014 t'],
    ],
    [
      'an ON CONFLICT column',
      'INSERT INTO orders (id) VALUES (1) ON CONFLICT (idx) DO NOTHING',
      ['SQL014 idx @(idx'],
    ],
    [
      'a schema-qualified column',
      'SELECT public.orders.nope FROM orders',
      ['SQL014 orders.nope @public.orders.nope'],
    ],
    ['in a JOIN … USING', 'SELECT * FROM orders JOIN order_items USING (order_id)', ['SQL014 order_id @-']],
    ['in RETURNING', 'DELETE FROM orders WHERE id = 1 RETURNING total', ['SQL014 total']],
    [
      'excluded.* lacking it',
      'INSERT INTO orders (id) VALUES (1) ON CONFLICT (id) DO UPDATE SET total_cents = excluded.totl',
      ['SQL014 excluded.totl'],
    ],
    ['a subquery alias lacking it', 'SELECT s.email FROM (SELECT id FROM customers) s', ['SQL014 s.email']],
    ['VALUES in FROM', 'SELECT column3 FROM (VALUES (1, 2)) v', ['SQL014 column3']],
    ['a CTE lacking it', 'WITH c AS (SELECT id FROM customers) SELECT email FROM c', ['SQL014 email']],
    [
      'MERGE',
      'MERGE INTO orders o USING customers c ON o.customer_id = c.id WHEN MATCHED THEN UPDATE SET total_cents = c.credit',
      ['SQL014 c.credit'],
    ],
  ])('reports %s', (_name, query, expected) => {
    expect(check(query)).toEqual(expected);
  });

  it.each([
    ['an output alias in ORDER BY', 'SELECT total_cents AS total FROM orders ORDER BY total'],
    [
      'an output alias in GROUP BY',
      "SELECT date_trunc('day', placed_at) AS day, count(*) FROM orders GROUP BY day",
    ],
    ['a subquery alias and its columns', 'SELECT s.n FROM (SELECT count(*) AS n FROM orders) AS s'],
    ['an alias column list', 'SELECT s.k FROM (SELECT id FROM orders) AS s(k)'],
    [
      'JOIN … USING',
      'SELECT order_id, quantity FROM order_items JOIN (SELECT id AS order_id FROM orders) o USING (order_id)',
    ],
    [
      'LATERAL',
      'SELECT c.id, last.placed_at FROM customers c, LATERAL (SELECT placed_at FROM orders o WHERE o.customer_id = c.id ORDER BY placed_at DESC LIMIT 1) last',
    ],
    ['a function in FROM', 'SELECT g, whatever FROM generate_series(1, 10) g, orders'],
    ['VALUES with an alias list', "SELECT v.code FROM (VALUES (1, 'a')) AS v(n, code)"],
    [
      'excluded.* and ON CONFLICT',
      'INSERT INTO orders (id, total_cents) VALUES (1, 2) ON CONFLICT (id) DO UPDATE SET total_cents = excluded.total_cents RETURNING id',
    ],
    [
      'a data-modifying CTE',
      'WITH moved AS (DELETE FROM orders WHERE placed_at < now() RETURNING id, total_cents) SELECT sum(total_cents) FROM moved',
    ],
    ['system columns', 'SELECT ctid, xmin, tableoid FROM orders'],
    ['a whole-row reference', 'SELECT o FROM orders o'],
    [
      'UNION with ORDER BY an output name',
      'SELECT id FROM orders UNION SELECT id FROM customers ORDER BY id',
    ],
    [
      'UPDATE … FROM',
      'UPDATE orders o SET total_cents = i.quantity FROM order_items i WHERE i.order_id = o.id',
    ],
    ['a qualifier that is no FROM item', 'SELECT x.y FROM orders'],
    ['a relation the DDL lacks, its columns unjudged', 'SELECT a.b FROM audit_log a'],
  ])('accepts %s', (_name, query) => {
    const found = check(query);
    // A relation the DDL lacks is SQL013, never a column finding about it.
    expect(found.filter((f) => f.startsWith('SQL014'))).toEqual([]);
  });

  it('follows ADD, DROP and RENAME COLUMN, INHERITS, PARTITION OF and LIKE', () => {
    const ddl = [
      'ALTER TABLE orders ADD COLUMN status text, DROP COLUMN placed_at;',
      'ALTER TABLE customers RENAME COLUMN country TO country_code;',
      'CREATE TABLE events (id bigint, at timestamptz) PARTITION BY RANGE (at);',
      "CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');",
      'CREATE TABLE special_orders (reason text) INHERITS (orders);',
      'CREATE TABLE orders_copy (LIKE orders INCLUDING ALL, note text);',
    ].join('\n');
    expect(check('SELECT status FROM orders', ddl)).toEqual([]);
    expect(check('SELECT placed_at FROM orders', ddl)).toEqual(['SQL014 placed_at']);
    expect(check('SELECT country FROM customers', ddl)).toEqual(['SQL014 country']);
    expect(check('SELECT at FROM events_2024', ddl)).toEqual([]);
    expect(check('SELECT total_cents, reason FROM special_orders', ddl)).toEqual([]);
    expect(check('SELECT status, note, nope FROM orders_copy', ddl)).toEqual(['SQL014 nope']);
  });

  it('leaves the columns of what the replay cannot derive unjudged', () => {
    const ddl = [
      'CREATE TABLE typed OF some_type;',
      'CREATE TABLE copied (LIKE somewhere_else);',
      'DO $$ BEGIN IF NOT EXISTS (SELECT 1) THEN ALTER TABLE customers ADD COLUMN phone text; END IF; END $$;',
      'ALTER TABLE never_created ADD COLUMN x int;',
    ].join('\n');
    expect(check('SELECT anything FROM typed', ddl)).toEqual([]);
    expect(check('SELECT anything FROM copied', ddl)).toEqual([]);
    expect(check('SELECT phone FROM customers', ddl)).toEqual([]);
    expect(check('SELECT y FROM never_created', ddl)).toEqual([]);
  });
});

describe('a migration history', () => {
  it('judges each query against the schema as it stood at that point', () => {
    // Arrange: statements in the order of their lines; columns added later.
    const { ddl, queries } = split(
      [
        'CREATE TABLE accounts (id bigint PRIMARY KEY);',
        'SELECT email FROM accounts;',
        'ALTER TABLE accounts ADD COLUMN email text;',
        'SELECT email FROM accounts;',
        'SELECT id FROM sessions;',
        'CREATE TABLE sessions (id bigint);',
        'SELECT id FROM sessions;',
      ].join('\n'),
    );
    const byLine = (a: Statement, b: Statement) => a.line - b.line;

    // Act
    const ordered = checkNames(ddl, queries, undefined, byLine);
    const final = checkNames(ddl, queries);

    // Assert: flagged before the column and the table exist, not after; against the final schema, none.
    expect(ordered.problems.map((p) => `${p.ruleId} ${p.name} line ${p.statement.line}`)).toEqual([
      'SQL014 email line 2',
      'SQL013 sessions line 5',
    ]);
    expect(ordered.checked).toBe(4);
    expect(final.problems).toEqual([]);
  });

  it('counts DDL that would fail, and reports the message PostgreSQL would give', () => {
    const { ddl, queries } = split(
      `${SCHEMA}\nALTER TABLE ghosts ADD COLUMN x int;\nSELECT nope FROM orders;`,
    );
    const result = checkNames(ddl, queries);
    expect(result.ddlFailures.map((f) => f.message)).toEqual(['relation "ghosts" does not exist']);
    expect(result.problems.map((p) => p.message)).toEqual(['column "nope" does not exist']);
  });
});

describe('positions', () => {
  it('is the character position in the query text, after an EXPLAIN and multi-byte text', () => {
    const { ddl, queries } = split(`${SCHEMA}\n-- é\nEXPLAIN (ANALYZE) SELECT 'ü', nope FROM orders;`);
    const [problem] = checkNames(ddl, queries).problems;
    expect(problem?.statement.checkText?.slice((problem.position ?? 0) - 1)).toMatch(/^nope FROM/);
  });
});

describe('cost', () => {
  /** A migration history of `steps` steps: a table, a column added, a query over it and the step before. */
  function history(steps: number): { ddl: Statement[]; queries: Statement[] } {
    const lines: string[] = [];
    for (let i = 1; i <= steps; i += 1) {
      lines.push(`CREATE TABLE t${i} (id bigint PRIMARY KEY, parent_id bigint);`);
      lines.push(`ALTER TABLE t${i} ADD COLUMN note_${i} text;`);
      lines.push(
        `WITH p AS (SELECT id FROM t${Math.max(1, i - 1)}) SELECT c.note_${i}, p.id FROM t${i} c JOIN p ON p.id = c.parent_id;`,
      );
    }
    const { statements } = parseSqlFile('history.sql', lines.join('\n'));
    return {
      ddl: statements.filter((s) => REPLAYED_TYPES.has(s.type)),
      queries: statements.filter((s) => QUERY_TYPES.has(s.type)),
    };
  }

  it('grows linearly with the history: 32× the steps in well under 256× the time', () => {
    // Arrange
    const small = history(40);
    const large = history(1280);
    const byLine = (a: Statement, b: Statement) => a.line - b.line;
    const timed = (input: { ddl: Statement[]; queries: Statement[] }) => {
      const started = performance.now();
      const result = checkNames(input.ddl, input.queries, undefined, byLine);
      return { ms: performance.now() - started, result };
    };

    // Act: each run's best (the first warms the code up)
    const smallMs = Math.min(...[1, 2, 3, 4, 5].map(() => timed(small).ms));
    const first = timed(large);
    const largeMs = Math.min(first.ms, timed(large).ms);
    const { result } = first;

    // Assess: a copy of the schema per query would be quadratic (~1000×)
    expect(result.problems).toEqual([]);
    expect(result.checked).toBe(1280);
    expect(largeMs).toBeLessThan(256 * Math.max(smallMs, 1));
  });
});
