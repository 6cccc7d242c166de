/**
 * The db-query-analyzer's rules as data (../rules.ts): SQL0xx read one
 * statement (or a group of statements of one fingerprint), PLAN0xx read the
 * nodes of an `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)` plan. The thresholds
 * the rules use are below, each with its reason; the input's `options` may
 * override the ones marked so.
 */
import { defineRules, joinCatalogs } from '../scan/catalog.js';
import type { ScorePolicyName, SeverityWeights } from '../scan/score.js';
import { SUPPRESSION_RULES } from '../suppressions.js';
import { MIGRATION_RULES, type MigrationRuleId } from './migration-catalog.js';
import { nestedLoop, node, plan, selectStarFromTables, sql, withSchema } from './samples.js';

/** Distinct queries (fingerprints) that get the statement rules and the name check in one analysis. */
export const MAX_QUERIES_ANALYZED = 1000;
/** Findings of one rule listed in one result; the rest are counted in the SQL015 finding. */
export const MAX_FINDINGS_PER_RULE = 100;
/** Index suggestions listed in one result. */
export const MAX_INDEX_SUGGESTIONS = 100;

export const SQL_RULES = defineRules('db-query-analyzer', [
  {
    id: 'SQL000',
    severity: 'medium',
    category: 'correctness',
    title: 'Statement does not parse',
    description:
      "PostgreSQL's own parser (libpg_query) rejects the statement, so it would fail when run and the other " +
      'rules cannot read it. Text cut short (pg_stat_statements keeps only track_activity_query_size bytes) ' +
      'fails the same way.',
    remediation:
      'Fix the syntax at the reported line, or raise track_activity_query_size for cut statements.',
    samples: { bad: [{ ...sql('SELEC id FROM orders;'), line: 1 }], good: [sql('SELECT id FROM orders;')] },
  },
  {
    id: 'SQL001',
    severity: 'low',
    category: 'performance',
    title: 'SELECT * in the result of a query',
    description:
      'The query returns every column: it reads and sends columns the caller does not use (wide text and ' +
      'jsonb values are fetched from TOAST), it cannot be answered by an index-only scan, and it changes ' +
      'shape when a column is added. `*` inside EXISTS or a derived table is not reported: the planner ' +
      'drops the unused columns there.',
    remediation: 'List the columns the caller needs.',
    samples: {
      bad: [{ ...sql('SELECT * FROM orders WHERE customer_id = $1;'), line: 1 }],
      good: [sql('SELECT id, total_cents FROM orders WHERE customer_id = $1;')],
    },
  },
  {
    id: 'SQL002',
    severity: 'high',
    category: 'correctness',
    title: 'UPDATE or DELETE without WHERE',
    description:
      'The statement changes every row of the table (a WHERE that is always true counts as none). Usually a ' +
      'missing condition; even when intended, it rewrites the whole table in one transaction, holding row ' +
      'locks on every row and leaving as many dead tuples for vacuum.',
    remediation:
      'Add the WHERE condition. To empty a table use TRUNCATE; to change every row of a large table, do it in ' +
      'batches by key range.',
    samples: {
      bad: [sql('DELETE FROM payments;')],
      good: [sql('DELETE FROM payments WHERE captured_at < $1;')],
    },
  },
  {
    id: 'SQL003',
    severity: 'medium',
    category: 'performance',
    title: 'LIKE pattern with a leading wildcard',
    description:
      'A LIKE / ILIKE pattern that starts with % or _ cannot use a B-tree index, so every row is read and ' +
      'matched. Not reported when the column has a trigram (gin_trgm_ops / gist_trgm_ops) index in the DDL.',
    remediation:
      'Create a trigram index (`CREATE EXTENSION pg_trgm; CREATE INDEX CONCURRENTLY … USING gin (col ' +
      'gin_trgm_ops)`), or use full-text search (tsvector with a GIN index) for word searches.',
    samples: {
      bad: [sql("SELECT id, email FROM customers WHERE email LIKE '%@example.com';")],
      good: [
        sql("SELECT id, email FROM customers WHERE email LIKE 'anna%';", 'a prefix can use a B-tree index'),
      ],
    },
  },
  {
    id: 'SQL004',
    severity: 'medium',
    category: 'performance',
    title: 'Function, cast or arithmetic on a filtered column',
    description:
      'A WHERE or JOIN condition applies a function, a cast or arithmetic to a column (`lower(email) = $1`, ' +
      '`created_at::date = $1`, `price * 1.2 > $1`), so an index on the column cannot be used for it. Not ' +
      'reported when the DDL has an index on that very expression.',
    remediation:
      'Compare the bare column with a transformed value (`created_at >= $1 AND created_at < $1 + 1`), or ' +
      'create an expression index (`CREATE INDEX CONCURRENTLY … ON t (lower(email))`).',
    samples: {
      bad: [sql("SELECT id FROM orders WHERE placed_at::date = '2026-05-01';")],
      good: [sql("SELECT id FROM orders WHERE placed_at >= '2026-05-01' AND placed_at < '2026-05-02';")],
    },
  },
  {
    id: 'SQL005',
    severity: 'medium',
    category: 'correctness',
    title: 'NOT IN (subquery)',
    description:
      '`x NOT IN (SELECT y …)` (or `x <> ALL (SELECT …)`) returns no row at all as soon as the subquery yields ' +
      'one NULL, and the planner cannot turn it into an anti-join: it runs a hashed subplan, or the subquery ' +
      'once per row when the result does not fit in work_mem.',
    remediation:
      'Write `NOT EXISTS (SELECT 1 FROM … WHERE y = x)`, which is NULL-safe and planned as an anti-join.',
    samples: {
      bad: [sql('SELECT id FROM products WHERE id NOT IN (SELECT product_id FROM order_items);')],
      good: [
        sql(
          'SELECT id FROM products p WHERE NOT EXISTS (SELECT 1 FROM order_items i WHERE i.product_id = p.id);',
        ),
      ],
    },
  },
  {
    id: 'SQL006',
    severity: 'high',
    category: 'performance',
    title: 'Implicit cross join (cartesian product)',
    description:
      'Tables in FROM (comma-separated, or CROSS JOIN / JOIN … ON true) are not linked by any condition, so ' +
      'every row of one is paired with every row of the other. Set-returning functions, LATERAL subqueries, ' +
      'VALUES lists and single-row subqueries (an aggregate without GROUP BY, LIMIT 1) are not reported.',
    remediation: 'Add the join condition, with explicit `JOIN … ON`, so a missing one is visible.',
    samples: {
      bad: [sql("SELECT c.email, o.total_cents FROM customers c, orders o WHERE c.country = 'DE';")],
      good: [
        sql(
          "SELECT c.email, o.total_cents FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.country = 'DE';",
        ),
      ],
    },
  },
  {
    id: 'SQL007',
    severity: 'medium',
    category: 'performance',
    title: 'Large OFFSET pagination',
    description:
      'OFFSET n reads and throws away n rows before returning a page, so each page costs more than the one ' +
      'before and deep pages are slow. A constant offset at or above the threshold (default 1000) is medium; ' +
      'an offset given as a parameter is reported low, as its depth is unknown.',
    remediation:
      'Use keyset pagination: `WHERE (created_at, id) < ($last_created_at, $last_id) ORDER BY created_at ' +
      'DESC, id DESC LIMIT n`, with an index on the ordering columns.',
    samples: {
      bad: [sql('SELECT id, sku FROM products ORDER BY id LIMIT 50 OFFSET 10000;')],
      good: [sql('SELECT id, sku FROM products WHERE id > $1 ORDER BY id LIMIT 50;', 'keyset pagination')],
    },
  },
  {
    id: 'SQL008',
    severity: 'medium',
    category: 'performance',
    title: 'OR across different columns',
    description:
      'A condition ORs tests on different columns (`email = $1 OR phone = $2`): one index cannot serve it, so ' +
      'PostgreSQL needs a bitmap OR of one index per column or reads the whole table. ORs of the same column ' +
      'are not reported (they are an IN list).',
    remediation:
      'Make sure each column has an index (for a BitmapOr), or split the query into a UNION of one query per ' +
      'column.',
    samples: {
      bad: [sql('SELECT id FROM customers WHERE email = $1 OR full_name = $2;')],
      good: [sql('SELECT id FROM customers WHERE email = $1 OR email = $2;', 'one column: an IN list')],
    },
  },
  {
    id: 'SQL009',
    severity: 'medium',
    category: 'performance',
    title: 'ORDER BY random()',
    description:
      'Sorting by random() computes a random value for every row and sorts the whole input to return a few ' +
      'rows, however small the LIMIT.',
    remediation:
      'Sample with `TABLESAMPLE SYSTEM (p)` / `BERNOULLI`, or pick random keys in the key range and fetch them ' +
      'by index.',
    samples: {
      bad: [sql('SELECT id, name FROM products ORDER BY random() LIMIT 10;')],
      good: [sql('SELECT id, name FROM products TABLESAMPLE SYSTEM (1) LIMIT 10;')],
    },
  },
  {
    id: 'SQL010',
    severity: 'medium',
    category: 'performance',
    title: 'Filter, join or sort column without a supporting index',
    description:
      'The DDL given has no index (primary key and unique constraints included) whose leading column is one ' +
      'of the columns the statement filters, joins or sorts this table on, so PostgreSQL reads the table ' +
      'sequentially (or sorts every matching row for ORDER BY … LIMIT). A multicolumn index serves a query ' +
      'only from its leading columns on: equality columns must come first, then one range or the sort ' +
      'columns. The suggested index is ordered that way.',
    remediation:
      'Create the suggested index with `CREATE INDEX CONCURRENTLY` (it does not block writes; run it outside ' +
      'a transaction), then check the plan with EXPLAIN (ANALYZE, BUFFERS).',
    samples: {
      bad: [
        withSchema('SELECT id, email FROM customers WHERE country = $1;', {
          why: 'country has no index',
          line: true,
        }),
      ],
      good: [
        withSchema('SELECT id, total_cents FROM orders WHERE customer_id = $1;', {
          why: 'orders_customer_idx',
        }),
      ],
    },
  },
  {
    id: 'SQL011',
    severity: 'medium',
    category: 'performance',
    title: 'N+1 queries',
    description:
      'The same statement (one fingerprint) runs many times with different literal values, typically one ' +
      'query per row of a previous result: each costs a round trip and a plan, where one query would do.',
    remediation:
      'Fetch all rows at once: `WHERE id = ANY($1)` with an array of keys, a JOIN, or the ORM’s eager loading ' +
      '(includes / prefetch_related / JOIN FETCH).',
    samples: {
      bad: [
        sql(
          [1842, 1843, 1844, 1845, 1846].map(
            (id) => `SELECT id, total_cents FROM orders WHERE customer_id = ${id};`,
          ),
          'a query log: one query per customer',
        ),
      ],
      good: [sql('SELECT id, total_cents FROM orders WHERE customer_id = ANY($1);')],
    },
  },
  {
    id: 'SQL012',
    severity: 'medium',
    category: 'performance',
    title: 'count(*) used as an existence check',
    description:
      'A count compared with 0 or 1 (`count(*) > 0`, `(SELECT count(*) …) = 0`) counts every matching row to ' +
      'answer a yes/no question.',
    remediation: 'Use `EXISTS (SELECT 1 FROM … WHERE …)`, which stops at the first row.',
    samples: {
      bad: [sql('SELECT count(*) > 0 AS has_items FROM order_items WHERE product_id = $1;')],
      good: [sql('SELECT EXISTS (SELECT 1 FROM order_items WHERE product_id = $1) AS has_items;')],
    },
  },
  {
    id: 'SQL013',
    severity: 'high',
    category: 'correctness',
    title: 'Unknown table',
    description:
      'Checked against the schema the DDL given defines at that statement: the statement names a table or ' +
      'view the schema does not define, so it fails with `relation … does not exist` (or the DDL given is ' +
      'out of date).',
    remediation: 'Fix the table name or its schema, or add the missing CREATE statement to the DDL.',
    samples: {
      bad: [withSchema('SELECT id FROM invoices WHERE order_id = $1;', { line: true })],
      good: [withSchema('SELECT id FROM orders WHERE id = $1;')],
    },
  },
  {
    id: 'SQL014',
    severity: 'high',
    category: 'correctness',
    title: 'Unknown column',
    description:
      'Checked against the schema the DDL given defines at that statement: the statement names a column that ' +
      'none of its tables has, so it fails with `column … does not exist`.',
    remediation:
      'Fix the column name or the table alias, or add the column to the DDL (ALTER TABLE … ADD COLUMN).',
    samples: {
      bad: [withSchema('SELECT id, shipping_address FROM orders WHERE id = $1;', { line: true })],
      good: [withSchema('SELECT id, placed_at FROM orders WHERE id = $1;')],
    },
  },
  {
    id: 'SQL015',
    severity: 'info',
    category: 'coverage',
    title: 'Analysis truncated',
    description:
      'The input was larger than one analysis reads in full: the work and the result are bounded per input ' +
      `(at most ${MAX_QUERIES_ANALYZED} distinct queries get the statement rules and the name check, the ` +
      'ones taking the most time or occurring most often first; at most ' +
      `${MAX_FINDINGS_PER_RULE} findings per rule are listed, the most severe first). This finding says ` +
      'what was left out, so a clean-looking result of a huge input is not taken for a clean input.',
    remediation:
      'Analyse the input in parts (one file or one service at a time), or fix the reported findings and run again.',
    samples: {
      bad: [
        sql(selectStarFromTables(MAX_FINDINGS_PER_RULE + 1), 'one SQL001 finding more than a result lists'),
      ],
      good: [sql(selectStarFromTables(MAX_FINDINGS_PER_RULE), 'every SQL001 finding listed')],
    },
  },
  {
    id: 'PLAN001',
    severity: 'medium',
    category: 'performance',
    title: 'Sequential scan on a large relation',
    description:
      'The plan reads a large relation sequentially (default: 100 000 rows read or more, rows removed by the ' +
      'filter included). High when the filter throws away at least 90% of what it reads: an index on the ' +
      'filter columns would read only the rows returned.',
    remediation:
      'Create an index on the filtered columns (`CREATE INDEX CONCURRENTLY`), or check why an existing one is ' +
      'not used (a function on the column, a type mismatch, outdated statistics: ANALYZE the table).',
    samples: {
      bad: [
        plan(
          node('Seq Scan', 1, {
            'Relation Name': 'payments',
            Filter: '(order_id = 4242)',
            'Rows Removed by Filter': 250000,
          }),
        ),
      ],
      good: [
        plan(node('Index Scan', 1, { 'Relation Name': 'payments', 'Index Name': 'payments_order_id_idx' })),
      ],
    },
  },
  {
    id: 'PLAN002',
    severity: 'medium',
    category: 'performance',
    title: 'Row estimate off by 10× or more',
    description:
      'The planner expected far fewer or far more rows than the node produced (factor ≥ 10, with at least ' +
      '1000 rows on the larger side). Join methods and orders are chosen from these estimates. Only the node ' +
      'where the error starts is reported, not every node above it.',
    remediation:
      'ANALYZE the table; raise the column’s statistics target (`ALTER TABLE … ALTER COLUMN … SET STATISTICS ' +
      '1000`); for correlated columns create extended statistics (`CREATE STATISTICS … (dependencies, ' +
      'ndistinct)`).',
    samples: {
      bad: [plan({ ...node('Index Scan', 5000, { 'Relation Name': 'orders' }), 'Plan Rows': 12 })],
      good: [plan({ ...node('Index Scan', 5000, { 'Relation Name': 'orders' }), 'Plan Rows': 4800 })],
    },
  },
  {
    id: 'PLAN003',
    severity: 'medium',
    category: 'performance',
    title: 'Sort spilled to disk',
    description:
      'A sort did not fit in work_mem and ran as an external merge on temporary files, which is many times ' +
      'slower than an in-memory sort.',
    remediation:
      'Return fewer rows to the sort (filter first, LIMIT), provide the order from an index, or raise ' +
      'work_mem for this query (`SET LOCAL work_mem = …` in its transaction).',
    samples: {
      bad: [
        plan(
          node('Sort', 5000, {
            'Sort Key': ['placed_at'],
            'Sort Method': 'external merge',
            'Sort Space Used': 52000,
            'Sort Space Type': 'Disk',
          }),
        ),
      ],
      good: [
        plan(
          node('Sort', 5000, {
            'Sort Key': ['placed_at'],
            'Sort Method': 'quicksort',
            'Sort Space Used': 900,
            'Sort Space Type': 'Memory',
          }),
        ),
      ],
    },
  },
  {
    id: 'PLAN004',
    severity: 'medium',
    category: 'performance',
    title: 'Hash or aggregate spilled to disk',
    description:
      'A hash join, hash aggregate or other node wrote temporary files (Hash Batches > 1, HashAgg batches or ' +
      'disk usage, temp blocks written): its working set exceeded work_mem × hash_mem_multiplier.',
    remediation:
      'Hash the smaller input (check the row estimates), reduce the rows and columns hashed, or raise work_mem ' +
      'for this query.',
    samples: {
      bad: [plan(node('Aggregate', 5000, { Strategy: 'Hashed', 'HashAgg Batches': 5, 'Disk Usage': 32000 }))],
      good: [plan(node('Aggregate', 5000, { Strategy: 'Hashed', 'HashAgg Batches': 1, 'Disk Usage': 0 }))],
    },
  },
  {
    id: 'PLAN005',
    severity: 'medium',
    category: 'performance',
    title: 'Nested loop over a large outer set',
    description:
      'A nested loop runs its inner side once per outer row, and the outer side has many rows (default: ' +
      '10 000 or more). High when the inner side is a sequential scan (every loop reads the whole relation).',
    remediation:
      'Index the inner side’s join column so each loop is an index lookup, or fix the row estimate that made ' +
      'the planner expect few outer rows (then it picks a hash or merge join).',
    samples: {
      bad: [plan(nestedLoop(20000), 'twenty thousand lookups')],
      good: [plan(nestedLoop(50))],
    },
  },
] as const);

export type DbRuleId = (typeof SQL_RULES.rules)[number]['id'];

/** The SQL and plan rules keyed by id. */
export const RULES = SQL_RULES.byId;

const AIOPS000 = SUPPRESSION_RULES.AIOPS000;
if (AIOPS000 === undefined) throw new Error('the suppression rules have no AIOPS000');

/** AIOPS000 (malformed suppression) shown on an inline `aiops:allow` in SQL. */
const SUPPRESSION_ROWS = defineRules('db-query-analyzer', [
  {
    ...AIOPS000,
    id: 'AIOPS000',
    samples: {
      bad: [{ ...sql(['-- aiops:allow SQL001', 'SELECT * FROM orders;']), line: 1 }],
      good: [sql(['-- aiops:allow SQL001 the archive export writes every column', 'SELECT * FROM orders;'])],
    },
  },
] as const);

/** Every rule this agent can report, AIOPS000 included: SARIF rule metadata, docs and test/rules. */
export const AGENT_RULES = joinCatalogs<DbRuleId | MigrationRuleId | 'AIOPS000'>(
  'db-query-analyzer',
  SQL_RULES,
  MIGRATION_RULES,
  SUPPRESSION_ROWS,
);

export interface Thresholds {
  /** SQL007: a constant OFFSET at or above this many rows. */
  largeOffset: number;
  /** SQL011: occurrences of one fingerprint with this many different literal sets. */
  nPlusOneMin: number;
  /** PLAN001: rows read by a sequential scan (returned + removed by the filter, over all loops). */
  largeScanRows: number;
  /** PLAN005: outer rows of a nested loop. */
  largeOuterRows: number;
}

export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = {
  largeOffset: 1000,
  // Five different keys in a row is how an ORM's lazy loading looks in a page's query log; two or three
  // can be separate requests.
  nPlusOneMin: 5,
  largeScanRows: 100_000,
  largeOuterRows: 10_000,
};

/** PLAN002: estimate and actual differ by at least this factor… */
export const MISESTIMATE_FACTOR = 10;
/** …and the larger of the two is at least this many rows (a 1-vs-12 error changes no plan). */
export const MISESTIMATE_MIN_ROWS = 1000;
/** PLAN001 is high when the filter removes at least this fraction of the rows read. */
export const SELECTIVE_FILTER = 0.9;
/** SQL011 is high from this many occurrences. */
export const N_PLUS_ONE_HIGH = 50;
/**
 * A performance finding on a statement that takes at least this share of the
 * total execution time in the statistics given is raised one severity level:
 * that is where time goes (pganalyze's ranking).
 */
export const HOT_STATEMENT_SHARE = 0.2;

/** Rules whose findings are raised on hot statements. */
export const PERFORMANCE_RULES: ReadonlySet<string> = new Set(
  SQL_RULES.rules.filter((r) => r.category === 'performance' && r.id.startsWith('SQL')).map((r) => r.id),
);

/**
 * Score: `deduction`, max(0, 100 − Σ weight(severity)) over the unsuppressed
 * findings: one unknown column or cartesian product costs 10, a missing index 4.
 */
export const SCORE_POLICY: ScorePolicyName = 'deduction';
export const SEVERITY_WEIGHTS: SeverityWeights = {
  critical: 25,
  high: 10,
  medium: 4,
  low: 1,
  info: 0,
};
