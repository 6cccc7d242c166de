/**
 * The db-query-analyzer's rules as data (../rules.ts): SQL0xx read one
 * statement (or a group of statements of one fingerprint), PLAN0xx read the
 * nodes of an `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)` plan. The thresholds
 * the rules use are below, each with its reason; the input's `options` may
 * override the ones marked so.
 */
import type { Severity } from '../contract.js';
import { type Rule, ruleCatalog } from '../rules.js';
import { SUPPRESSION_RULES } from '../suppressions.js';

/** Distinct queries (fingerprints) that get the statement rules and the PGlite name check in one analysis. */
export const MAX_QUERIES_ANALYZED = 1000;
/** Findings of one rule listed in one result; the rest are counted in the SQL015 finding. */
export const MAX_FINDINGS_PER_RULE = 100;
/** Index suggestions listed in one result. */
export const MAX_INDEX_SUGGESTIONS = 100;

const SQL_RULES: readonly Rule[] = [
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
  },
  {
    id: 'SQL013',
    severity: 'high',
    category: 'correctness',
    title: 'Unknown table',
    description:
      'Checked against the DDL given, in an embedded PostgreSQL (PGlite): the statement names a table or ' +
      'view the schema does not define, so it fails with `relation … does not exist` (or the DDL given is ' +
      'out of date).',
    remediation: 'Fix the table name or its schema, or add the missing CREATE statement to the DDL.',
  },
  {
    id: 'SQL014',
    severity: 'high',
    category: 'correctness',
    title: 'Unknown column',
    description:
      'Checked against the DDL given, in an embedded PostgreSQL (PGlite): the statement names a column that ' +
      'none of its tables has, so it fails with `column … does not exist`.',
    remediation:
      'Fix the column name or the table alias, or add the column to the DDL (ALTER TABLE … ADD COLUMN).',
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
  },
];

export const RULES = ruleCatalog(SQL_RULES);

/** Every rule this agent can report, AIOPS000 (malformed suppression) included: SARIF rule metadata. */
export const AGENT_RULES = ruleCatalog([...SQL_RULES, ...Object.values(SUPPRESSION_RULES)]);

export function rule(id: string): Rule {
  const found = RULES[id];
  if (found === undefined) throw new Error(`Unknown db-query-analyzer rule ${id}`);
  return found;
}

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
  SQL_RULES.filter((r) => r.category === 'performance' && r.id.startsWith('SQL')).map((r) => r.id),
);

/**
 * Score = max(0, 100 − Σ weight(severity)) over the unsuppressed findings: one
 * unknown column or cartesian product costs 10, a missing index 4.
 */
export const SEVERITY_WEIGHTS: Readonly<Record<Severity, number>> = {
  critical: 25,
  high: 10,
  medium: 4,
  low: 1,
  info: 0,
};
