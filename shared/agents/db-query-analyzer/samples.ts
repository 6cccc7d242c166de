/**
 * Inputs the db-query-analyzer rules are shown on (rules.ts samples): SQL
 * files, with a small schema where a rule needs DDL, and EXPLAIN (ANALYZE,
 * FORMAT JSON) plans of one or two nodes.
 */
import type { RuleSample } from '../scan/catalog.js';

/** A shop's schema, one statement a line (statements after it start on line SCHEMA_LINES + 1). */
const SCHEMA = [
  'CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL, full_name text, country text);',
  'CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id), placed_at timestamptz NOT NULL, total_cents bigint NOT NULL);',
  'CREATE INDEX orders_customer_idx ON orders (customer_id);',
].join('\n');
export const SCHEMA_LINES = 3;

/** One SQL file of `lines`. */
export function sql(lines: string | readonly string[], why?: string): RuleSample {
  const content = typeof lines === 'string' ? lines : lines.join('\n');
  return { path: 'q.sql', content, ...(why === undefined ? {} : { why }) };
}

/** The schema, then the query on line SCHEMA_LINES + 1. */
export function withSchema(query: string, options: { why?: string; line?: boolean } = {}): RuleSample {
  return {
    ...sql([SCHEMA, query], options.why),
    ...(options.line === true ? { line: SCHEMA_LINES + 1 } : {}),
  };
}

/** `report_a`, `report_b`, … `report_ba`: table names that differ in letters (fingerprints ignore digits). */
function tableName(i: number): string {
  let name = '';
  for (let n = i; name === '' || n > 0; n = Math.floor(n / 26))
    name = String.fromCharCode(97 + (n % 26)) + name;
  return `report_${name}`;
}

/** `SELECT *` from `n` different tables: as many distinct queries and SQL001 findings. */
export function selectStarFromTables(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `SELECT * FROM ${tableName(i)};`);
}

type PlanNode = Record<string, unknown>;

/** An EXPLAIN (ANALYZE, FORMAT JSON) result with `plan` as its top node. */
export function plan(node: PlanNode, why?: string): RuleSample {
  return {
    path: 'explain.json',
    content: JSON.stringify([{ Plan: node, 'Execution Time': 210.4 }], null, 2),
    ...(why === undefined ? {} : { why }),
  };
}

/** A node with actual rows as estimated (no misestimate), once. */
export function node(type: string, rows: number, fields: PlanNode = {}): PlanNode {
  return { 'Node Type': type, 'Plan Rows': rows, 'Actual Rows': rows, 'Actual Loops': 1, ...fields };
}

/** A nested loop over `outerRows` orders, one index lookup of customers each. */
export function nestedLoop(outerRows: number): PlanNode {
  return node('Nested Loop', outerRows, {
    'Join Type': 'Inner',
    Plans: [
      node('Index Scan', outerRows, {
        'Parent Relationship': 'Outer',
        'Relation Name': 'orders',
        'Index Name': 'orders_placed_at_idx',
      }),
      node('Index Scan', 1, {
        'Parent Relationship': 'Inner',
        'Relation Name': 'customers',
        'Index Name': 'customers_pkey',
      }),
    ],
  });
}
